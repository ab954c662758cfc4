/** The spec-backed log's one message. */
import { Schema } from "effect"

/** The sequencer chose `command` for `slot`. */
export class Chosen extends Schema.TaggedClass<Chosen>()("Chosen", { slot: Schema.Number, command: Schema.Any }) {}
