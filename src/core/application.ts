/**
 * Applications are the deterministic state machines that protocols replicate, and the exactly-once
 * (at-most-once + retries) wrapper: commands carry a client id and sequence number; the wrapper
 * keeps, per client, only the last result, and answers a retried command from it without executing it
 * again.
 */
import { Schema } from "effect"
import type { Tagged } from "./node.ts"
import { setIn } from "./persistent-map.ts"
import { type DataSchema, sameTag, type TaggedSchema, TaggedValue } from "./schemas.ts"
import { TaggedData } from "./tagged-data.ts"

export interface Application<A, C extends Tagged = Tagged, R extends Tagged = Tagged> {
  readonly init: () => A
  /** Pure: the result and the next state. */
  readonly execute: (state: A, command: C) => readonly [R, A]
  /** Read-only commands may be answered without changing state (optional optimisation hint). */
  readonly readOnly?: (command: C) => boolean
}

/**
 * The exactly-once wrappers of an application whose commands and results have the given schemas: a
 * command tagged with its client and sequence number, and its result tagged the same way.
 */
export const amoSchemas = (command: TaggedSchema, result: TaggedSchema) => {
  class AMOCommand extends TaggedData<AMOCommand>()("AMOCommand", { command, client: Schema.String, seq: Schema.Number }) {}
  class AMOResult extends TaggedData<AMOResult>()("AMOResult", { result, client: Schema.String, seq: Schema.Number }) {}
  return { AMOCommand, AMOResult }
}
export type AMOSchemas = ReturnType<typeof amoSchemas>

/** The schema of an exactly-once state (a service's applied state, a snapshot) over an application state schema. */
export const amoStateSchema = (app: DataSchema, result: Schema.Codec<AMOResult, unknown>) =>
  Schema.Struct({ app, last: Schema.ReadonlyMap(Schema.String, result) })

/** The wrappers of the generic layers, over any application (schemas.ts); boundaries use `amoSchemas` with the real schemas. */
const generic = amoSchemas(TaggedValue, TaggedValue)
export const AMOCommand = generic.AMOCommand
export type AMOCommand = InstanceType<typeof AMOCommand>
export const AMOResult = generic.AMOResult
export type AMOResult = InstanceType<typeof AMOResult>
/** The wrappers as the generic layers' messages carry them: built by any `amoSchemas` (schemas.ts `sameTag`). */
export const SomeAMOCommand = sameTag(AMOCommand)
export const SomeAMOResult = sameTag(AMOResult)

export interface AMOState<A> {
  readonly app: A
  /** client -> last result executed for it (only the last: the table stays one entry per client). */
  readonly last: ReadonlyMap<string, AMOResult>
}

export interface AMOOptions {
  /** Planted bug for tests: forget the dedup table and execute retries again. */
  readonly bugExecuteRetries?: boolean
}

export const amo = <A, C extends Tagged, R extends Tagged>(app: Application<A, C, R>, options: AMOOptions = {}) => {
  const init = (): AMOState<A> => ({ app: app.init(), last: new Map() })
  /** Has this command (or a later one of its client) already been executed? */
  const alreadyExecuted = (s: AMOState<A>, c: AMOCommand): boolean => {
    const last = s.last.get(c.client)
    return last !== undefined && last.seq >= c.seq
  }
  /** Executes `c` once; a retry gets the stored result (or undefined when it is older than the last). */
  const execute = (s: AMOState<A>, c: AMOCommand): readonly [AMOResult | undefined, AMOState<A>] => {
    if (!options.bugExecuteRetries && alreadyExecuted(s, c)) {
      const last = s.last.get(c.client)!
      return [last.seq === c.seq ? last : undefined, s]
    }
    const [result, next] = app.execute(s.app, c.command as C)
    const r = new AMOResult({ result, client: c.client, seq: c.seq })
    return [r, { app: next, last: setIn(s.last, c.client, r) }]
  }
  return { init, execute, alreadyExecuted }
}
