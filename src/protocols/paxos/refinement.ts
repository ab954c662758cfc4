/** Multi-Paxos refinements: its chosen log refines spec/consensus; the KV service over it refines spec/kv. */
import { type ConsensusState, consensusIsStep } from "../../../spec/consensus.ts"
import type { StepProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import { readsNodes } from "../../core/step-reads.ts"
import { refines } from "../../refinement/refinement.ts"
import { commandKey, type Replica } from "./properties.ts"
import type { PaxosState } from "./server.ts"

/** The chosen log of a group, abstracted: the spec/consensus state. */
export const chosenLog = (group: ReadonlyArray<Replica>) => {
  // It reads each replica's chosen entries (in its log's order) and compaction point. A log's chosen
  // entries are summarised once per log object (logs are immutable and recur across states) and
  // interned by content, so a step that only adds an accepted entry leaves the summary the same
  // object; the same summaries and compaction points give the very value of the last call, and the
  // checker's refinement sees a stutter without hashing it. Values are interned per tuple of
  // summaries and compaction points, and then by content: one abstract state, one object, print included.
  const n = group.length
  const summaries = new WeakMap<PaxosState["log"], Summary>()
  const summaryByText = new Map<string, Summary>()
  const summaryOf = (log: PaxosState["log"]): Summary => {
    let summary = summaries.get(log)
    if (summary) return summary
    const chosen: Array<readonly [number, string]> = []
    for (const [slot, e] of log) if (e.chosen) chosen.push([slot, commandKey(e.command)])
    const text = JSON.stringify(chosen)
    summary = summaryByText.get(text)
    if (!summary) summaryByText.set(text, (summary = { chosen }))
    summaries.set(log, summary)
    return summary
  }
  /** Whether two readings of one replica give the abstraction the same inputs (its chosen entries and compaction point). */
  const sameInputs = (a: PaxosState | undefined, b: PaxosState | undefined): boolean =>
    a === b || (a !== undefined && b !== undefined && a.cleared === b.cleared && (a.log === b.log || (a.log !== undefined && b.log !== undefined && summaryOf(a.log) === summaryOf(b.log))))
  const logs: Array<PaxosState["log"] | undefined> = new Array(n)
  const inputs: Array<Summary | undefined> = new Array(n)
  const cleared: Array<number> = new Array(n).fill(-1)
  let last: ConsensusState | undefined
  const interned = new Map<Summary, Map<number, unknown>>()
  const valueByText = new Map<string, ConsensusState>()
  const abs = (w: World): ConsensusState => {
    let same = last !== undefined
    for (let i = 0; i < n; i++) {
      const s = group[i]!.log(w)
      const log = s?.log
      const c = s === undefined ? -1 : s.cleared
      if (log !== logs[i]) {
        logs[i] = log
        const summary = log === undefined ? undefined : summaryOf(log)
        if (summary !== inputs[i]) {
          inputs[i] = summary
          same = false
        }
      }
      if (c !== cleared[i]) {
        cleared[i] = c
        same = false
      }
    }
    if (same) return last!
    let level = interned
    for (let i = 0; i < n; i++) {
      const key = inputs[i] ?? DOWN
      let byCleared = level.get(key)
      if (!byCleared) level.set(key, (byCleared = new Map()))
      const next = byCleared.get(cleared[i]!)
      if (i === n - 1) {
        if (next) return (last = next as ConsensusState)
        const value = valueOf(inputs, cleared)
        byCleared.set(cleared[i]!, value)
        return (last = value)
      }
      if (next) level = next as Map<Summary, Map<number, unknown>>
      else byCleared.set(cleared[i]!, (level = new Map()))
    }
    return (last = valueOf(inputs, cleared))
  }
  /** Whether a step from `from` to `to` leaves every replica's inputs as they were (then the abstraction is the same). */
  const unmoved = (from: World, to: World): boolean => {
    for (let i = 0; i < n; i++) if (!sameInputs(group[i]!.log(from), group[i]!.log(to))) return false
    return true
  }
  return Object.assign(abs, { unmoved })

  function valueOf(summaries: ReadonlyArray<Summary | undefined>, cleared: ReadonlyArray<number>): ConsensusState {
    let base = 0
    for (let i = 0; i < n; i++) if (summaries[i] && cleared[i]! > base) base = cleared[i]!
    const chosen = new Map<number, string>()
    for (const summary of summaries) if (summary) for (const [slot, command] of summary.chosen) if (slot >= base && !chosen.has(slot)) chosen.set(slot, command)
    const sorted = [...chosen].sort((a, b) => a[0] - b[0])
    const text = `${base} ${JSON.stringify(sorted)}`
    let value = valueByText.get(text)
    if (!value) valueByText.set(text, (value = { base, chosen: new Map(sorted) }))
    return value
  }
}

/** A log's chosen entries, in the log's order: slot and command key. */
interface Summary {
  readonly chosen: ReadonlyArray<readonly [number, string]>
}
/** The key of a replica with no log (down, nothing persisted). */
const DOWN: Summary = { chosen: [] }

/** A Paxos group's chosen log refines spec/consensus: per slot one value, and it stays chosen. It reads the replicas' records only (`Replica`). */
export const refinesConsensus = <W extends World, L>(group: ReadonlyArray<Replica>, abs = chosenLog(group)): StepProperty<W, L> =>
  readsNodes(
    refines<W, L, ConsensusState>({
      name: "REFINES_CONSENSUS",
      abs,
      spec: { isStep: consensusIsStep },
      show: (a) => `base ${a.base}, chosen {${[...a.chosen].map(([k, v]) => `${k}: ${v}`).join(", ")}}`,
    }),
    // A node's step that leaves each replica's chosen entries and compaction point as they were is a stutter
    // (the step changes one record: the answer is that node's alone).
    (from, to) => abs.unmoved(from, to)
  )
