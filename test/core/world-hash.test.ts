/**
 * Incremental hashes of worlds (world.ts, execute.ts): on seeded random walks, every world's
 * fingerprint, node-record hashes and envelope hashes equal the ones computed from scratch, on
 * networks that consume messages (sums updated by subtraction), drop them, and keep duplicates.
 */
import test from "ava"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { Rng } from "../../src/checker/random.ts"
import { newFingerprint, type TransitionSystem } from "../../src/checker/transition-system.ts"
import type { ProtocolState } from "../../src/core/compile.ts"
import { envelopeHash, hashMessage, makeNode } from "../../src/core/world.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"

const SEED = 20261206

/** The first difference between `w`'s kept hashes and from-scratch ones, or undefined. */
const mismatch = (system: TransitionSystem<ProtocolState, unknown>, w: ProtocolState): string | undefined => {
  const kept = newFingerprint()
  const fresh = newFingerprint()
  system.fingerprint(w, kept)
  // A copy of the network carries no kept sum: the fingerprint is summed envelope by envelope.
  system.fingerprint({ ...w, net: [...w.net] }, fresh)
  if (kept.hi !== fresh.hi || kept.lo !== fresh.lo) return "world fingerprint"
  for (const [i, n] of w.nodes.entries()) {
    const again = makeNode(n.state, n.timers, n.up, n.durable, n.client)
    if (again.hi !== n.hi || again.lo !== n.lo) return `node ${i} record`
  }
  const m = newFingerprint()
  for (const e of w.net) {
    envelopeHash(e.from, e.to, hashMessage(e.msg, m), fresh)
    if (fresh.hi !== e.hi || fresh.lo !== e.lo) return `envelope ${e.from} -> ${e.to}`
  }
  return undefined
}

const walks = async (t: import("ava").ExecutionContext, model: string, name: string, runs: number, depth: number) => {
  const system = (await buildSystem({ loader: REGISTRY_URL, model, params: {}, test: name })) as TransitionSystem<ProtocolState, unknown>
  let checked = 0
  let consumed = 0
  for (let run = 0; run < runs; run++) {
    const rng = Rng.forSample(SEED, run)
    const inits = system.initial()
    let w = inits[rng.int(inits.length)]!
    for (let d = 0; d < depth; d++) {
      const why = mismatch(system, w)
      if (why) return t.fail(`${model}/${name}, seed ${SEED} run ${run} step ${d}: ${why} differs from scratch`)
      checked++
      const next: ProtocolState[] = []
      system.successors(w, (_l, s) => next.push(s))
      if (next.length === 0) break
      const s = next[rng.int(next.length)]!
      if (s.net.length < w.net.length) consumed++
      w = s
    }
  }
  t.true(checked > runs * 5, `${checked} worlds checked`)
  return consumed
}

test("incremental hashes equal from-scratch ones on random walks: clientserver on a lossy network (delivery consumes, drops)", async (t) => {
  const consumed = await walks(t, "clientserver", "exhaustive-lossy", 20, 40)
  t.true(consumed! > 0, "some steps took a message out of the network")
})

test("incremental hashes equal from-scratch ones on random walks: raft with crashes (duplicating network)", async (t) => {
  await walks(t, "raft", "exhaustive-crash", 20, 60)
})
