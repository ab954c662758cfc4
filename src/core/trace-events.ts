/**
 * The structured form of a protocol step, as traces store it and replay matches it: what happened
 * (`kind`), where (addresses), and the message or timer encoded canonically from its schema
 * (encode.ts), with the choices a handler made. Display text (compile.ts's labels, Config.show) is
 * kept beside it for people and may change freely: replay compares these events, not the text.
 *
 * - `{kind: "deliver", from, to, msg, choices?}`: a message delivered to `to` (a node or component);
 * - `{kind: "drop", from, to, msg}`: a message lost;
 * - `{kind: "timer", node, sub?, timer, choices?}`: a timer of `node` (of its component `sub`) fired;
 * - `{kind: "crash", node}`, `{kind: "restart", node, choices?}`.
 *
 * The timed simulator's steps carry their simulated time `at` besides: `deliver`, `lost` (with `why`),
 * `timer`, and `fault` (the fault as it struck: crash, restart, partition, heal).
 */
import type { Event } from "./compile.ts"
import type { TimedEvent } from "./timed.ts"
import { encodeCanonical, type Json } from "./encode.ts"
import type { Address } from "./node.ts"

const withChoices = (choices: ReadonlyArray<number>): { choices?: ReadonlyArray<number> } => (choices.length > 0 ? { choices } : {})

/** The structured event of step `e` of a configuration whose nodes are `addresses`. */
export const encodeEvent = (addresses: ReadonlyArray<Address>, e: Event): Json => {
  switch (e.k) {
    case "deliver":
      return { kind: "deliver", from: e.env.from, to: e.env.to, msg: encodeCanonical(e.env.msg), ...withChoices(e.choices) }
    case "drop":
      return { kind: "drop", from: e.env.from, to: e.env.to, msg: encodeCanonical(e.env.msg) }
    case "timer":
      return { kind: "timer", node: addresses[e.node]!, ...(e.timer.sub ? { sub: e.timer.sub } : {}), timer: encodeCanonical(e.timer.timer), ...withChoices(e.choices) }
    case "crash":
      return { kind: "crash", node: addresses[e.node]! }
    case "restart":
      return { kind: "restart", node: addresses[e.node]!, ...withChoices(e.choices) }
  }
}

/** The structured event of a timed simulator step `e` (see the module comment). */
export const encodeTimedEvent = (addresses: ReadonlyArray<Address>, e: TimedEvent): Json => {
  switch (e.k) {
    case "deliver":
      return { kind: "deliver", at: e.at, from: e.env.from, to: e.env.to, msg: encodeCanonical(e.env.msg) }
    case "lost":
      return { kind: "lost", at: e.at, why: e.why, from: e.env.from, to: e.env.to, msg: encodeCanonical(e.env.msg) }
    case "timer":
      return { kind: "timer", at: e.at, node: addresses[e.node]!, ...(e.timer.sub ? { sub: e.timer.sub } : {}), timer: encodeCanonical(e.timer.timer) }
    case "fault":
      return { kind: "fault", fault: encodeCanonical(e.fault) }
  }
}
