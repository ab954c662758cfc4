/** The spec-backed log's one message. */
import { Schema } from "effect"
import { type TaggedSchema, TaggedValue } from "../../core/schemas.ts"

/** The message for a log of commands of schema `command` (the runtime's, with its application's schema). */
export const specLogMessages = (command: TaggedSchema) => {
  /** The sequencer chose `command` for `slot`. */
  class Chosen extends Schema.TaggedClass<Chosen>()("Chosen", { slot: Schema.Number, command }) {}
  return { Chosen }
}

/** The log's own, over any tagged command (core/schemas.ts). */
export const Chosen = specLogMessages(TaggedValue).Chosen
export type Chosen = InstanceType<typeof Chosen>
