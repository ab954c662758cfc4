import test from "ava"
import { bfs, explore } from "../../src/checker/explore.ts"
import { parallelBfs } from "../../src/checker/parallel-bfs.ts"
import { buildSystem } from "../../src/checker/parallel-protocol.ts"
import { formatSymmetryStats, renamings, SymmetryError, symmetryStats, withSymmetry } from "../../src/checker/symmetry.ts"
import { invariant, newFingerprint, withProperties } from "../../src/checker/transition-system.ts"
import { compile, type ProtocolState } from "../../src/core/compile.ts"
import { appendsLinearizable } from "../../src/core/properties.ts"
import { appendWorkload } from "../../src/core/workloads.ts"
import { clientServerConfig } from "../../src/protocols/clientserver/model.ts"
import { serverStates } from "../../src/protocols/raft/properties.ts"
import { checked as paxosChecked } from "../../src/protocols/paxos/model.ts"
import { REGISTRY_URL } from "../../src/registry/index.ts"
import { replayHit } from "../helpers.ts"
import { PINNED_STATES } from "../protocols/state-counts.ts"

const raftElection = { loader: REGISTRY_URL, model: "raft", params: {}, test: "exhaustive-election" }

test("renamings: every permutation of each group but the identity", (t) => {
  t.is(renamings([["a", "b", "c"]]).length, 5)
  t.is(renamings([["a", "b"], ["x", "y", "z"]]).length, 11)
  t.deepEqual([...renamings([["a", "b"]])[0]!], [["a", "b"], ["b", "a"]])
})

test("raft election, servers symmetric: fewer states, the same verdict, bfs and dfs", async (t) => {
  const system = await buildSystem(raftElection)
  const reduced = explore(system, { symmetry: true })
  t.is(reduced.verdict, "ok")
  t.true(reduced.complete)
  const full = PINNED_STATES["raft/exhaustive-election"]!
  t.true(reduced.distinct * 4 < full, `${reduced.distinct} vs ${full}`)
  const viaDfs = explore(system, { strategy: "dfs", seed: 1, symmetry: true })
  t.is(viaDfs.verdict, "ok")
  t.is(viaDfs.distinct, reduced.distinct)
})

test.serial("parallel bfs reduces by symmetry too, to the same count", async (t) => {
  const appends = { loader: REGISTRY_URL, model: "clientserver", params: { clients: "3" }, test: "exhaustive-appends" }
  const one = explore(await buildSystem(appends), { symmetry: true })
  const two = await parallelBfs({ ...appends, symmetry: true }, { workers: 2 })
  t.true(one.distinct < 100, `${one.distinct}`)
  t.is(two.verdict, "ok")
  t.is(two.distinct, one.distinct)
})

// Planted bug: a client never advances its sequence number, so its second append is answered from the dedup table.
const buggyAppends = () => {
  const config = clientServerConfig({ workloads: [appendWorkload("client1", 2), appendWorkload("client2", 2)], client: { bugDropSeq: true }, symmetry: [["client1", "client2"]] })
  return compile(config, { name: "clientserver appends, bug", properties: [appendsLinearizable(config)] })
}

test("a planted bug is still found under symmetry, as short, and the trace replays on the unreduced system", (t) => {
  const system = buggyAppends()
  const full = bfs(system)
  const reduced = explore(system, { symmetry: true })
  t.is(full.verdict, "violation")
  t.is(reduced.verdict, "violation")
  t.is(reduced.property, full.property)
  t.is(reduced.path!.steps.length, full.path!.steps.length)
  t.true(reduced.distinct < full.distinct)
  t.is(replayHit(system, reduced)?.property, full.property)
  const viaDfs = explore(system, { strategy: "dfs", seed: 3, symmetry: true })
  t.is(viaDfs.verdict, "violation")
  t.is(replayHit(system, viaDfs)?.property, full.property)
})

test("a property that names one server is caught as not symmetric (SYMMETRIC_PROPERTIES)", async (t) => {
  const system = (await buildSystem(raftElection)) as ReturnType<typeof compile>
  const s1NeverLeads = invariant<ProtocolState>("S1_NEVER_LEADER", (w) => serverStates(w, 3)[0]?.role !== "leader")
  const asymmetric = withProperties(system, [...system.properties, s1NeverLeads])
  // Without the reduction the property fails plainly; with it, either it fails or its asymmetry is reported.
  t.is(bfs(asymmetric).property, "S1_NEVER_LEADER")
  const r = explore(asymmetric, { symmetry: true })
  t.is(r.verdict, "violation")
  t.true(r.property === "SYMMETRIC_PROPERTIES" || r.property === "S1_NEVER_LEADER")
  t.is(replayHit(asymmetric, r)?.kind, "violation")
})

test("declarations the reduction cannot use are refused with a clear error", (t) => {
  // Workloads that are not renamings of each other.
  const uneven = clientServerConfig({ workloads: [appendWorkload("client1", 1), appendWorkload("client2", 2)], symmetry: [["client1", "client2"]] })
  t.throws(() => compile(uneven), { instanceOf: SymmetryError, message: /workloads are not renamings/ })
  const unknown = clientServerConfig({ workloads: [appendWorkload("client1", 1)], symmetry: [["client1", "client9"]] })
  t.throws(() => compile(unknown), { instanceOf: SymmetryError, message: /no node/ })
  const none = compile(clientServerConfig({ workloads: [appendWorkload("client1", 1)] }))
  t.throws(() => withSymmetry(none), { instanceOf: SymmetryError, message: /declares no symmetry/ })
  t.throws(() => explore(buggyAppends(), { strategy: "random", symmetry: true }), { instanceOf: SymmetryError })
})

test("the sorted canonical form: every renaming of a state has its fingerprint, and the orbit count is the all-permutations one", async (t) => {
  const system = await buildSystem(raftElection)
  const reduced = withSymmetry(system)
  const sym = system.symmetry!
  const all = renamings(sym.groups)
  const a = newFingerprint()
  const b = newFingerprint()
  // Walk a few levels of the unreduced space; every state's renamed copies print as it does.
  let level = system.initial()
  for (let depth = 0; depth < 4; depth++) {
    const next: ProtocolState[] = []
    for (const s of level) {
      reduced.fingerprint(s, a)
      for (const r of all) {
        reduced.fingerprint(sym.rename(s, r, true), b)
        t.deepEqual(b, a)
      }
      system.successors(s, (_, n) => next.push(n as ProtocolState))
    }
    level = next.slice(0, 40)
  }
  // Without signatures the fingerprint is the least over all n! renamings: the same orbits.
  const noSignature = Object.create(system, { symmetry: { value: { groups: sym.groups, rename: sym.rename } } }) as typeof system
  t.is(explore(noSignature, { symmetry: true }).distinct, explore(system, { symmetry: true }).distinct)
})

test("a declaration the handlers break is caught by SYMMETRIC_STEPS: Paxos followers that may elect themselves (ballots compare servers)", (t) => {
  const system = paxosChecked({ servers: 3, workloads: [], symmetricFollowers: true })
  const r = explore(withProperties(system, system.properties, []), { symmetry: true, maxStates: 20_000 })
  t.is(r.verdict, "violation")
  t.is(r.property, "SYMMETRIC_STEPS")
  t.regex(r.detail ?? "", /P1a.*no renamed counterpart/)
  t.is(r.path!.steps.length, 2)
  // Unreduced, the same system is fine: the declaration, not the protocol, is wrong.
  t.not(explore(system, { maxStates: 2_000 }).verdict, "violation")
})

test("paxos with a stable leader: the followers and the clients are interchangeable; fewer states, same verdict", async (t) => {
  const system = await buildSystem({ loader: REGISTRY_URL, model: "paxos", params: {}, test: "exhaustive-stable-leader" })
  t.deepEqual(system.symmetry!.groups, [["client1", "client2"], ["server2", "server3"]])
  const r = explore(system, { symmetry: true })
  t.is(r.verdict, "ok")
  t.true(r.complete)
  t.true(r.distinct * 3 < PINNED_STATES["paxos/exhaustive-stable-leader"]!, `${r.distinct}`)
})

test("the reduction's report: groups, the largest orbit and renamings per state", async (t) => {
  const system = await buildSystem({ loader: REGISTRY_URL, model: "clientserver", params: { clients: "3" }, test: "exhaustive-appends" })
  explore(system, { symmetry: true })
  const stats = symmetryStats(system)!
  t.deepEqual(stats.groups, [["client1", "client2", "client3"]])
  t.is(stats.largestOrbit, 6)
  t.is(stats.canonical, "sorted")
  // The sorted canonical form renames a state a few times at most, where all 3! would be 6.
  t.true(stats.renamings / stats.fingerprints < 3, `${stats.renamings} renamings for ${stats.fingerprints} states`)
  t.regex(formatSymmetryStats(stats), /symmetry over \{client1, client2, client3\}: one state per orbit \(an orbit holds at most 6 states\); canonical form sorted, [\d.]+ renamings per state/)
})

test("planted bug on replicated-kv over Paxos (a Put that wipes other keys), followers symmetric: found as short, and the trace replays unreduced", async (t) => {
  const system = await buildSystem({ loader: REGISTRY_URL, model: "replicated-kv", params: { log: "paxos" }, test: "bug-clobbering-put" })
  t.deepEqual(system.symmetry!.groups, [["server2", "server3"]])
  const full = bfs(system)
  const reduced = explore(system, { symmetry: true })
  t.is(full.property, "REFINES_KV")
  t.is(reduced.property, "REFINES_KV")
  t.is(reduced.path!.steps.length, full.path!.steps.length)
  t.true(reduced.distinct < full.distinct, `${reduced.distinct} vs ${full.distinct}`)
  t.is(replayHit(system, reduced)?.property, "REFINES_KV")
})
