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
  // the checker's refinement then sees a stutter without hashing it).
  const inputs: unknown[] = new Array(2 * group.length)
  let last: ConsensusState | undefined
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
    return same ? last! : (last = chosenLogOf(group, w))
  }
}

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
