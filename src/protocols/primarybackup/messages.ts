/** Primary-backup messages and timers: the view service, the servers and their clients. */
import { Schema } from "effect"
import { type AMOCommand, type AMOResult, amoStateSchema, SomeAMOCommand, SomeAMOResult } from "../../core/application.ts"
import { type DataSchema, DataValue } from "../../core/schemas.ts"
import { TaggedData } from "../../core/tagged-data.ts"

/** The view service's address in every configuration. */
export const VIEW_SERVICE = "viewserver"

/** A view: its number, the primary and the backup (null: none). View 0 is the start, with no primary. */
export class View extends TaggedData<View>()("View", {
  num: Schema.Number,
  primary: Schema.NullOr(Schema.String),
  backup: Schema.NullOr(Schema.String),
}) {}

/** Server -> view service: alive, and (from the primary) "I acknowledge view `num`". */
export class Ping extends TaggedData<Ping>()("Ping", { num: Schema.Number }) {}
export class GetView extends TaggedData<GetView>()("GetView", {}) {}
export class ViewReply extends TaggedData<ViewReply>()("ViewReply", { view: View }) {}

/**
 * The messages that carry the application's commands and state, for an application whose
 * exactly-once wrappers (core/application.ts `amoSchemas`) have schemas `command` and `result` and
 * whose state has schema `app`.
 */
export const primaryBackupMessages = (command: Schema.Codec<AMOCommand, unknown>, result: Schema.Codec<AMOResult, unknown>, app: DataSchema) => {
  /** Primary -> backup: execute this operation in view `num`. */
  class Forward extends TaggedData<Forward>()("Forward", { num: Schema.Number, command }) {}
  /** Primary -> new backup: the whole state (application and dedup table) as of view `view`. */
  class StateTransfer extends TaggedData<StateTransfer>()("StateTransfer", { view: View, state: amoStateSchema(app, result) }) {}
  return { Forward, StateTransfer }
}

/** Over any application (core/schemas.ts). */
const generic = primaryBackupMessages(SomeAMOCommand, SomeAMOResult, DataValue)
export const Forward = generic.Forward
export type Forward = InstanceType<typeof Forward>
export const StateTransfer = generic.StateTransfer
export type StateTransfer = InstanceType<typeof StateTransfer>

export class ForwardAck extends TaggedData<ForwardAck>()("ForwardAck", { num: Schema.Number, client: Schema.String, seq: Schema.Number }) {}
export class StateTransferAck extends TaggedData<StateTransferAck>()("StateTransferAck", { num: Schema.Number }) {}

export class PingCheckTimer extends TaggedData<PingCheckTimer>()("PingCheckTimer", {}) {}
export class PingTimer extends TaggedData<PingTimer>()("PingTimer", {}) {}

export const PING_MILLIS = 25
export const PING_CHECK_MILLIS = 100

/** The view every node starts from: no primary yet. */
export const START = new View({ num: 0, primary: null, backup: null })
