/**
 * A deposed master leader, searched in stages (as shardkv's walks-deposed-leader-reads): three master
 * servers on Raft; client1 joins group 1 and then queries the latest configuration twice, client2 joins
 * groups 2 and 3. A simulation runs until client1's Join is answered (one of client2's applied nowhere yet, a leader in office); from there random walks,
 * minimised, in which the master's leader of that moment and client1 are cut off from everyone else
 * (replicated-kv/cut-off-walks.ts): the other two elect a leader and serve a Join of client2 while
 * client1's Queries can reach only the deposed leader. A Query goes through the log, so it waits; a
 * leader that answers it from its applied state answers a configuration older than one client2 was
 * told exists before the Query began: the history, checked in every state, is not linearizable.
 */
import type { NamedTest } from "../../checker/model.ts"
import { goal, invariant, startingFrom } from "../../checker/transition-system.ts"
import { compile, type Event, type ProtocolState } from "../../core/compile.ts"
import { historyOf, type World } from "../../core/world.ts"
import { alongWalks, cutOffLeaderWalks } from "../replicated-kv/cut-off-walks.ts"
import { logChecks } from "../replicated-kv/log-checks.ts"
import { stageStart } from "../shardkv/staged.ts"
import { logFor } from "./logs.ts"
import { join, Ok, query } from "./messages.ts"
import { linearizabilityProblem, masterCluster, masterProperties, type MasterSetup } from "./replicated.ts"

const setup: MasterSetup = {
  log: "raft",
  servers: 3,
  scenario: {
    description: "client1 joins group 1 and queries twice; client2 joins groups 2 and 3",
    clients: [
      [join(1, ["g1s1"]), query(), query()],
      [join(2, ["g2s1"]), join(3, ["g3s1"])],
    ],
  },
}

export const deposedMasterWalks = (): NamedTest => ({
  description:
    "staged random walks on Raft, minimised: the master's leader is cut off with a client that has joined and queries, while the other two elect a leader and serve another client's Join; Queries wait; the history stays linearizable",
  build: (_p, seed) => {
    const cluster = masterCluster(setup)
    const log = logFor("raft", cluster.servers.map((r) => r.address))
    const done = (w: World, client: string) => historyOf(w).filter((op) => op.client === client && op.result !== undefined).length
    const linearizable = invariant<ProtocolState>("HistoryLinearizable", (w) => linearizabilityProblem(w) === undefined, linearizabilityProblem)
    const system = compile(
      { ...cluster.config, network: { delivery: "multiset" } },
      { name: "shardmaster on raft", properties: [...masterProperties<ProtocolState>(cluster, "raft"), linearizable], stepProperties: logChecks<ProtocolState, Event>("raft", [cluster.servers]).steps }
    )
    const configs = (w: World, r: (typeof cluster.servers)[number] | undefined) => r?.state(w)?.app.app.configs.length ?? 0
    /** One first stage (from `stage`'s simulation: client1's Join answered, one of client2's applied nowhere yet) and its walks. */
    const leading = (w: World) =>
      cluster.servers.find((r) => {
        const x = r.state(w)
        return x !== undefined && log.isLeader(x.log)
      })
    const attempt = (stage: number) => {
      const start = stageStart(cluster.config, (w) => done(w, "client1") > 0 && cluster.servers.every((r) => configs(w, r) < 3) && leading(w) !== undefined, stage, false)
      const from = startingFrom(system, [start])
      const leader = leading(start)
      const elected = goal<ProtocolState>("MAJORITY_ELECTED", (w) => cluster.servers.some((r) => r !== leader && (r.state(w) ? log.isLeader(r.state(w)!.log) : false)))
      // client2 told of a configuration (its Join's Ok) that the cut-off leader has not applied.
      const told = (w: World) => historyOf(w).some((op) => op.client === "client2" && op.result instanceof Ok && op.result.num > configs(w, leader))
      const joined = goal<ProtocolState>("JOIN_DONE", told)
      const cut = new Set([leader?.index ?? -1, cluster.config.servers.length])
      return { from, start, ...cutOffLeaderWalks(from, { cut, elected, progressed: joined, seed, cutSide: { strategy: "bfs", maxStates: 3_000 } }) }
    }
    // Where a first stage never gets there (client2 done first), or its walks never get to the cut side, the next
    // stage seed (at most five); once the cut side has been walked, not again (the shipped protocol's answer: no violation).
    let tried: ReturnType<typeof attempt> | undefined
    let failed: unknown
    for (let k = 0; k < 5 && (tried === undefined || (tried.found === undefined && tried.reached < 2)); k++) {
      try {
        tried = attempt(seed + k)
      } catch (e) {
        failed = e
      }
    }
    if (tried === undefined) throw failed
    return alongWalks(tried.from, tried.start, tried.found)
  },
  options: { strategy: "bfs" },
  expect: "ok",
})
