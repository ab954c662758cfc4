/** Primary-backup messages and timers: the view service, the servers and their clients. */
import { Schema } from "effect"
import { AMOCommand } from "../../core/application.ts"

/** The view service's address in every configuration. */
export const VIEW_SERVICE = "viewserver"

/** A view: its number, the primary and the backup (null: none). View 0 is the start, with no primary. */
export class View extends Schema.TaggedClass<View>()("View", {
  num: Schema.Number,
  primary: Schema.NullOr(Schema.String),
  backup: Schema.NullOr(Schema.String),
}) {}

/** Server -> view service: alive, and (from the primary) "I acknowledge view `num`". */
export class Ping extends Schema.TaggedClass<Ping>()("Ping", { num: Schema.Number }) {}
export class GetView extends Schema.TaggedClass<GetView>()("GetView", {}) {}
export class ViewReply extends Schema.TaggedClass<ViewReply>()("ViewReply", { view: View }) {}

/** Primary -> backup: execute this operation in view `num`. */
export class Forward extends Schema.TaggedClass<Forward>()("Forward", { num: Schema.Number, command: AMOCommand }) {}
export class ForwardAck extends Schema.TaggedClass<ForwardAck>()("ForwardAck", { num: Schema.Number, client: Schema.String, seq: Schema.Number }) {}
/** Primary -> new backup: the whole state (application and dedup table) as of view `view`. */
export class StateTransfer extends Schema.TaggedClass<StateTransfer>()("StateTransfer", { view: View, state: Schema.Any }) {}
export class StateTransferAck extends Schema.TaggedClass<StateTransferAck>()("StateTransferAck", { num: Schema.Number }) {}

export class PingCheckTimer extends Schema.TaggedClass<PingCheckTimer>()("PingCheckTimer", {}) {}
export class PingTimer extends Schema.TaggedClass<PingTimer>()("PingTimer", {}) {}

export const PING_MILLIS = 25
export const PING_CHECK_MILLIS = 100

/** The view every node starts from: no primary yet. */
export const START = new View({ num: 0, primary: null, backup: null })
