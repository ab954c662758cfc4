/** The spec-backed log's one message. */
import { Schema } from "effect"
import { type TaggedSchema, TaggedValue } from "../../core/schemas.ts"
import { TaggedData } from "../../core/tagged-data.ts"

/** The message and the persisted record (server.ts SpecLogState) for a log of commands of schema `command` (the runtime's, with its application's schema). */
export const specLogMessages = (command: TaggedSchema) => {
  /** The sequencer chose `command` for `slot`. */
  class Chosen extends TaggedData<Chosen>()("Chosen", { slot: Schema.Number, command }) {}
  const Durable = Schema.Struct({ leads: Schema.Boolean, next: Schema.Number, early: Schema.ReadonlyMap(Schema.Number, command) })
  return { Chosen, Durable }
}

/** The log's own, over any tagged command (core/schemas.ts). */
export const Chosen = specLogMessages(TaggedValue).Chosen
export type Chosen = InstanceType<typeof Chosen>
