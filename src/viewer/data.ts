/**
 * The data a viewer page is drawn from, shared by the Node side that builds it and the browser code
 * that reads it. Node states travel as diffs of flattened views, so a 10,000-step run stays small:
 * the page applies them forwards (and backwards, with the old values) to rebuild any step's state.
 */

/** What kind of event a step is, for drawing. */
export type StepKind = "deliver" | "drop" | "lost" | "timer" | "crash" | "restart" | "partition" | "heal" | "step"

/** One change of a flattened view: the path's index in `paths`, the leaf before and after (null = absent). */
export type Op = readonly [path: number, before: string | null, after: string | null]

export interface ViewerStep {
  readonly label: string
  readonly kind: StepKind
  /** The lifeline that took the step, when known. */
  readonly actor?: string
  /** Simulated time, for steps of the timed simulator. */
  readonly time?: number
  /** The message delivered, dropped or lost (an index into `messages`). */
  readonly msg?: number
  /** True when this delivery is not the message's first. */
  readonly dup?: boolean
  /** Changes of the view made by this step. */
  readonly ops: ReadonlyArray<Op>
}

export interface ViewerMessage {
  readonly from: string
  readonly to: string
  readonly text: string
  /** Step that sent it (0 = it was in the initial state). */
  readonly sent: number
  /** Steps that delivered it. */
  readonly deliveries: ReadonlyArray<number>
  /** Step at which it left the network, and why; absent while still in flight at the end. */
  readonly end?: number
  readonly endKind?: "delivered" | "dropped" | "lost" | "vanished"
}

export interface ViewerTimer {
  readonly node: string
  readonly text: string
  readonly set: number
  readonly fired?: number
  readonly cancelled?: number
}

/** A node down from step `from` (its crash) to step `to` (its restart; absent = still down at the end). */
export interface Downtime {
  readonly node: string
  readonly from: number
  readonly to?: number
}

/** Lifelines cut into groups from step `from` to step `to` (absent = never healed). */
export interface Partition {
  readonly groups: ReadonlyArray<ReadonlyArray<string>>
  readonly from: number
  readonly to?: number
}

/** Where the trace's property fails (or its goal is met), found by re-checking the replayed path. */
export interface Outcome {
  readonly kind: "violation" | "goal"
  readonly property: string
  readonly step: number
  readonly explanation?: string
}

export interface TraceData {
  readonly title: string
  readonly model: string
  readonly test?: string
  readonly params: Readonly<Record<string, string>>
  readonly seed?: number
  readonly strategy: string
  readonly verdict: string
  readonly property?: string
  readonly detail?: string
  readonly outcome?: Outcome
  /** Lifelines in display order; sub-components (`parent/child`) follow their parent. */
  readonly nodes: ReadonlyArray<string>
  /** Flattened view paths, interned; a path's first element under `nodes` names its node. */
  readonly paths: ReadonlyArray<ReadonlyArray<string>>
  /** Changes from an empty view to the initial state's view. */
  readonly initial: ReadonlyArray<Op>
  readonly steps: ReadonlyArray<ViewerStep>
  readonly messages: ReadonlyArray<ViewerMessage>
  readonly timers: ReadonlyArray<ViewerTimer>
  readonly downtimes: ReadonlyArray<Downtime>
  readonly partitions: ReadonlyArray<Partition>
  /** Something the reader should know (e.g. states taken from the file because replay failed). */
  readonly notes: ReadonlyArray<string>
}

/** The lifeline a view path belongs to: `nodes.<address>...` gives the address, anything else the whole system. */
export const ownerOf = (path: ReadonlyArray<string>): string => (path[0] === "nodes" && path.length > 1 ? path[1]! : "")

/** The root of an address: `server1/log` lives on `server1`. */
export const rootOf = (address: string): string => address.split("/")[0]!
