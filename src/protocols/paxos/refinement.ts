/** Multi-Paxos refinements: its chosen log refines spec/consensus; the KV service over it refines spec/kv. */
import { type ConsensusState, consensusIsStep } from "../../../spec/consensus.ts"
import type { StepProperty } from "../../checker/transition-system.ts"
import type { World } from "../../core/world.ts"
import { refines } from "../../refinement/refinement.ts"
import { commandKey, type Replica } from "./properties.ts"
import type { PaxosState } from "./server.ts"

/** The chosen log of a group, abstracted: the spec/consensus state. */
export const chosenLog = (group: ReadonlyArray<Replica>) => {
  // It reads only each replica's log and compaction point: the same ones give the same value (and
  // the checker's refinement then sees a stutter without hashing it). Values are interned per
  // tuple of logs and compaction points (logs are immutable and recur across states), so a state
  // whose replicas hold logs seen before gets the very object computed then, print included.
  const inputs: unknown[] = new Array(2 * group.length)
  let last: ConsensusState | undefined
  const interned: Level = new WeakMap()
  return (w: World): ConsensusState => {
    let same = last !== undefined
    for (let i = 0; i < group.length; i++) {
      const s = group[i]!.log(w)
      const log = s?.log
      const cleared = s?.cleared
      if (inputs[2 * i] !== log || inputs[2 * i + 1] !== cleared) {
        same = false
        inputs[2 * i] = log
        inputs[2 * i + 1] = cleared
      }
    }
    if (same) return last!
    if (group.length === 0) return (last = chosenLogOf(group, w))
    let level = interned
    for (let i = 0; ; i++) {
      const key = (inputs[2 * i] as object | undefined) ?? DOWN
      const cleared = (inputs[2 * i + 1] as number | undefined) ?? -1
      let byCleared = level.get(key)
      if (!byCleared) level.set(key, (byCleared = new Map()))
      const next = byCleared.get(cleared)
      if (i === group.length - 1) {
        if (next) return (last = next as ConsensusState)
        const value = chosenLogOf(group, w)
        byCleared.set(cleared, value)
        return (last = value)
      }
      if (next) level = next as Level
      else byCleared.set(cleared, (level = new WeakMap()))
    }
  }
}

/** Interned values: per replica, its log (or DOWN), then its compaction point, then the next replica's level or the value. */
type Level = WeakMap<object, Map<number, Level | ConsensusState>>
const DOWN = {}

const chosenLogOf = (group: ReadonlyArray<Replica>, w: World): ConsensusState => {
  let base = 0
  const states: PaxosState[] = []
  for (const r of group) {
    const s = r.log(w)
    if (!s) continue
    states.push(s)
    if (s.cleared > base) base = s.cleared
  }
  const chosen = new Map<number, string>()
  for (const s of states)
    for (const [slot, e] of s.log) if (e.chosen && slot >= base && !chosen.has(slot)) chosen.set(slot, commandKey(e.command))
  return { base, chosen: new Map([...chosen].sort((a, b) => a[0] - b[0])) }
}

/** A Paxos group's chosen log refines spec/consensus: per slot one value, and it stays chosen. */
export const refinesConsensus = <W extends World, L>(group: ReadonlyArray<Replica>): StepProperty<W, L> =>
  refines<W, L, ConsensusState>({
    name: "REFINES_CONSENSUS",
    abs: chosenLog(group),
    spec: { isStep: consensusIsStep },
    show: (a) => `base ${a.base}, chosen {${[...a.chosen].map(([k, v]) => `${k}: ${v}`).join(", ")}}`,
  })
