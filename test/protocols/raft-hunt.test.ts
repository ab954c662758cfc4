/**
 * The Raft bug hunts (core/swarm.ts): a swarm of timed simulations finds a planted bug and the
 * violation is lifted to the interleaving model and minimised to a short trace that replays there;
 * the correct protocol passes a hunt; a simulated test's violation comes back minimised too.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { lastState, replayLabels } from "../../src/checker/path.ts"
import { drawFaults, huntBySimulation, liftLabel } from "../../src/core/swarm.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"
import { raftModel } from "../../src/protocols/raft/model.ts"
import { interleavedOf, type RaftSetup, simulated } from "../../src/protocols/raft/scenarios.ts"

const setup = (bug: boolean): RaftSetup => ({
  servers: 3,
  workloads: [privateKeyWorkload("client1", 6)],
  server: { snapshotThreshold: 3, bugVoteWithoutUpToDateCheck: bug },
  client: { thinkTime: 50 },
})

const hunt = (bug: boolean, runs: number) =>
  huntBySimulation({
    runs,
    seed: 1,
    simulate: (rng, runSeed) => simulated({ ...setup(bug), sim: drawFaults(rng, 2500) }, runSeed, "raft hunt"),
    interleaved: interleavedOf({ ...setup(bug), sim: {} }),
  })

test("timed labels lift to the interleaving model's; losses and partitions are dropped", (t) => {
  t.is(liftLabel("@120 deliver s1/log -> s2/log: RequestVote(t=1,last=0/0)"), "deliver s1/log -> s2/log: RequestVote(t=1,last=0/0)")
  t.is(liftLabel("@300 timer s1: log: ElectionTimer()"), "timer s1: log: ElectionTimer()")
  t.is(liftLabel("@400 crash s2"), "crash s2")
  t.is(liftLabel("@500 restart s2"), "restart s2")
  t.is(liftLabel("@510 lost (loss) s1/log -> s2/log: AppendEntries(t=1)"), undefined)
  t.is(liftLabel("@600 partition {s1} {s2,s3}"), undefined)
  t.is(liftLabel("@700 heal"), undefined)
})

test("planted bug (votes without the up-to-date check): the swarm finds it and the lifted trace is short and replays", (t) => {
  const r = hunt(true, 4)
  t.truthy(r.found)
  const { path, property, timedLength } = r.found!
  t.is(property, "LEADER_COMPLETENESS")
  t.true(path.steps.length < 30 && path.steps.length < timedLength / 4, `${path.steps.length} steps lifted from ${timedLength}`)
  const sys = interleavedOf({ ...setup(true), sim: {} })
  const replayed = replayLabels(sys, 0, path.steps.map((s) => s.text))
  t.false(sys.properties.find((p) => p.name === "LEADER_COMPLETENESS")!.holds(lastState(replayed)))
})

test("the correct protocol: the same swarm finds nothing", (t) => {
  t.is(hunt(false, 4).found, undefined)
})

test("hunt-swarm-3 with a few runs: ok on the correct protocol", (t) => {
  const nt = raftModel.tests["hunt-swarm-3"]!
  const r = explore(nt.build({ runs: "3" }, 1), nt.options)
  t.is(r.verdict, "ok")
})
