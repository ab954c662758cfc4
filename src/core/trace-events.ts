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

const isTagged = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { _tag?: unknown })._tag === "string"
/** Field -> why a value there is wrong (undefined: fine). */
const FIELD: Readonly<Record<string, (v: unknown) => string | undefined>> = {
  from: (v) => (typeof v === "string" ? undefined : "an address"),
  to: (v) => (typeof v === "string" ? undefined : "an address"),
  node: (v) => (typeof v === "string" ? undefined : "an address"),
  sub: (v) => (typeof v === "string" ? undefined : "a component path"),
  why: (v) => (typeof v === "string" ? undefined : "a text"),
  at: (v) => (typeof v === "number" && Number.isFinite(v) ? undefined : "a time"),
  msg: (v) => (isTagged(v) ? undefined : "an encoded message (an object with a _tag)"),
  timer: (v) => (isTagged(v) ? undefined : "an encoded timer (an object with a _tag)"),
  fault: (v) => (typeof v === "object" && v !== null && typeof (v as { k?: unknown }).k === "string" ? undefined : "a fault"),
  choices: (v) => (Array.isArray(v) && v.every((c) => Number.isInteger(c) && c >= 0) ? undefined : "a list of choices"),
}

/** The fields each kind of event has (required first; `sub` and `choices` may be left out). */
const CHECKED_KINDS: Readonly<Record<string, ReadonlyArray<string>>> = {
  deliver: ["from", "to", "msg"],
  drop: ["from", "to", "msg"],
  timer: ["node", "timer"],
  crash: ["node"],
  restart: ["node"],
}
const TIMED_KINDS: Readonly<Record<string, ReadonlyArray<string>>> = {
  deliver: ["at", "from", "to", "msg"],
  lost: ["at", "why", "from", "to", "msg"],
  timer: ["at", "node", "timer"],
  fault: ["fault"],
}
const OPTIONAL = new Set(["kind", "sub", "choices"])

const problem = (kinds: Readonly<Record<string, ReadonlyArray<string>>>) => (event: unknown): string | undefined => {
  const e = event as Record<string, unknown>
  const fields = typeof e.kind === "string" && Object.hasOwn(kinds, e.kind) ? kinds[e.kind]! : undefined
  if (!fields) return `unknown kind of step ${JSON.stringify(e.kind)} (expected ${Object.keys(kinds).join(", ")})`
  for (const f of fields) if (!(f in e)) return `a ${e.kind} step needs "${f}"`
  for (const [k, v] of Object.entries(e)) {
    if (!fields.includes(k) && !OPTIONAL.has(k)) return `a ${e.kind} step has no "${k}"`
    const why = FIELD[k]?.(v)
    if (why !== undefined) return `"${k}" must be ${why}`
  }
  return undefined
}

/** Why a recorded event cannot be a step of a compiled protocol (malformed), or undefined. */
export const checkedEventProblem = problem(CHECKED_KINDS)
/** Why a recorded event cannot be a step of the timed simulator (malformed), or undefined. */
export const timedEventProblem = problem(TIMED_KINDS)
