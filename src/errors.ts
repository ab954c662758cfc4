/**
 * The one error family the `tla-ts` command prints: tagged errors (effect's Data.TaggedError) that the
 * CLI matches on `_tag`, never on class identity, so an error thrown by another copy of the library
 * (a user model importing the installed package) is still recognised.
 *
 * Exit codes: 0 ok, 1 a property fails (or a goal is not reached, or a history is not linearizable),
 * 2 bad input, 3 unknown or not reproduced, 70 internal error (a crash that is not the user's fault).
 */
import type { YieldableError } from "effect/Cause"
import * as Data from "effect/Data"

export const EXIT = { ok: 0, failed: 1, badInput: 2, unknown: 3, internal: 70 } as const

/** A class of the family: `class MyError extends taggedError("MyError") {}`, thrown as `new MyError(message)`. */
export interface TaggedFailure<Tag extends string> extends YieldableError {
  readonly _tag: Tag
  readonly message: string
}

export const taggedError = <Tag extends string>(tag: Tag): new (message: string) => TaggedFailure<Tag> =>
  class extends Data.TaggedError(tag)<{ readonly message: string }> {
    constructor(message: string) {
      super({ message })
    }
  }

/** A bad argument or flag. */
export class UsageError extends taggedError("UsageError") {}
/** A model file that does not load, exports no model, or exports a broken one. */
export class ModelFileError extends taggedError("ModelFileError") {}
/** A file the run would write cannot be written. */
export class OutputError extends taggedError("OutputError") {}
/** A parameter value a model does not accept. */
export class ParamError extends taggedError("ParamError") {}

/** The heap came near its limit during a run: an internal error (exit 70), reported before V8 aborts. */
export class OutOfMemoryError extends taggedError("OutOfMemoryError") {}

/** Tags of errors caused by the user's input: one line on stderr, exit 2. Other owners' errors join by tag. */
export const INPUT_ERROR_TAGS: ReadonlySet<string> = new Set([
  "UsageError",
  "ModelFileError",
  "OutputError",
  "ParamError",
  "ModelError",
  "TraceFileError",
  "SpecParamError",
  "HistoryError",
  "HistoryParseError",
  "ReplayError",
  "CheckpointError",
  "SymmetryError",
  "PorError",
  "VacuousLivenessError",
])

export const tagOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && typeof (e as { _tag?: unknown })._tag === "string" ? (e as { _tag: string })._tag : undefined

export const isInputError = (e: unknown): e is { readonly _tag: string; readonly message: string } => INPUT_ERROR_TAGS.has(tagOf(e) ?? "")
