/**
 * Paxos persistence (issue 9's "Paxos groups do not persist", issue 11): a persisting replica keeps its
 * promise, its accepted and chosen slots and its parent's snapshot; after a crash it recovers them and
 * rebuilds its parent's applied state; shard groups on Paxos restart from their logs' storage.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { Tagged } from "../../src/core/node.ts"
import { kvStore, put } from "../../src/core/kv.ts"
import { AMOCommand } from "../../src/core/application.ts"
import { role } from "../../src/core/roles.ts"
import type { World } from "../../src/core/world.ts"
import { Decisions, Heartbeat, type HeartbeatReply, P1a, P2a, paxosServer, type PaxosDurable, type PaxosServerState, type PaxosState } from "../../src/protocols/paxos/server.ts"
import { lab } from "../../src/protocols/shardkv/model.ts"
import { joinGroup } from "../../src/protocols/shardkv/replicated.ts"
import type { GroupServerState } from "../../src/protocols/shardkv/server.ts"
import { move } from "../../src/protocols/shardmaster/messages.ts"
import { privateKeyWorkload } from "../../src/core/workloads.ts"
import { runInit, runMessage, runRecover, type NodeEnv, type StepOutput } from "../../src/runtime/driver.ts"

const servers = ["s1", "s2", "s3"]
// The runtime's setting (lazyLearning) unless a test says otherwise.
const env = (persist: boolean, lazyLearning = true): NodeEnv => ({ def: paxosServer(kvStore, servers, { persist, lazyLearning }).def, self: "s2", peers: servers, chooser: { choose: () => 0 } })

/** Runs messages to s2's log one by one from a fresh start; returns the last output. */
const drive = (e: NodeEnv, msgs: ReadonlyArray<readonly [Tagged, string]>): StepOutput => {
  let out = runInit(e)
  for (const [m, from] of msgs) {
    const d = out.durable
    out = runMessage({ ...e, durable: () => d }, out.state, out.timers, "s2/log", m, from)
  }
  return out
}

const stored = (out: StepOutput): PaxosDurable | undefined => (out.durable as Record<string, unknown> | undefined)?.["log"] as PaxosDurable | undefined

const cmd = (seq: number, value: string) => new AMOCommand({ command: put("k", value), client: "c1", seq })

const STEPS: ReadonlyArray<readonly [Tagged, string]> = [
  // s3 asks for ballot 1 and gets s2's promise.
  [new P1a({ round: 1, leader: "s3/log" }), "s3/log"],
  // s3 gets slots 0 and 1 accepted; slot 0 is chosen, slot 1 only accepted.
  [new P2a({ round: 1, leader: "s3/log", slot: 0, command: cmd(1, "a") }), "s3/log"],
  [new P2a({ round: 1, leader: "s3/log", slot: 1, command: cmd(2, "b") }), "s3/log"],
  [new Decisions({ entries: [[0, cmd(1, "a")]] }), "s3/log"],
]

const HEARTBEAT: readonly [Tagged, string] = [new Heartbeat({ round: 1, leader: "s3/log", clear: 0 }), "s3/log"]

test("a persisting Paxos replica recovers its promise, accepted and chosen slots, and its applied state after a crash", (t) => {
  const out = drive(env(true), [...STEPS, HEARTBEAT])
  t.is((out.state as PaxosServerState<unknown>).log.slotOut, 1)
  t.truthy(stored(out), "the replica persisted")
  const rec = runRecover(env(true), out.durable)
  const s = rec.state as PaxosServerState<Map<string, string>>
  t.deepEqual([s.log.round, s.log.leader], [1, "s3/log"], "the promise survives")
  t.deepEqual(
    [...s.log.log].map(([slot, e]) => [slot, e.chosen, e.round, (e.command as AMOCommand).seq]),
    [
      [0, true, 1, 1],
      [1, false, 1, 2],
    ],
    "chosen and accepted slots survive"
  )
  t.is(s.log.slotOut, 1)
  t.false(s.log.active)
  t.is(s.app.app.get("k"), "a", "the applied state is rebuilt (the snapshot of slot 0)")
  // A lower ballot is refused after recovery, as before the crash.
  const again = runMessage({ ...env(true), durable: () => rec.durable }, rec.state, rec.timers, "s2/log", new P2a({ round: 0, leader: "s1/log", slot: 2, command: cmd(3, "c") }), "s1/log")
  t.false((again.state as PaxosServerState<unknown>).log.log.has(2), "a phase-2 message below the recovered promise is not accepted")
})

test("with lazyLearning (the runtime), learning writes nothing of its own: a crash right after it keeps the accepted slots; the snapshot goes with the next acceptance or heartbeat", (t) => {
  const out = drive(env(true), STEPS)
  t.false(out.persisted, "the step that learns slot 0 is chosen (and executes it) does not write")
  t.is(stored(out)!.snapSlot, -1)
  const s = runRecover(env(true), out.durable).state as PaxosServerState<Map<string, string>>
  t.deepEqual([s.log.round, s.log.log.size, s.log.slotOut, s.app.app.size], [1, 2, 0, 0], "promise and accepted slots back; slot 0 to be learned again")
  // What it reports as executed (the leader clears below everyone's report) is what its storage holds.
  const hb = runMessage({ ...env(true), durable: () => out.durable }, out.state, out.timers, "s2/log", HEARTBEAT[0], "s3/log")
  const reply = hb.sends.find((x) => x.msg._tag === "HeartbeatReply")!.msg as HeartbeatReply
  t.true(hb.persisted, "the heartbeat writes the snapshot of slot 0")
  t.is(reply.executed, 1, "and reports slot 0 executed (the reply leaves once the write is durable)")
  const hb2 = runMessage({ ...env(true), durable: () => hb.durable }, hb.state, hb.timers, "s2/log", HEARTBEAT[0], "s3/log")
  t.false(hb2.persisted, "a heartbeat with nothing new writes nothing")
  // Before the heartbeat, a stale report: what is executed but not saved is not reported.
  const p2a = runMessage({ ...env(true), durable: () => out.durable }, out.state, out.timers, "s2/log", new P2a({ round: 1, leader: "s3/log", slot: 2, command: cmd(3, "c") }), "s3/log")
  t.true(p2a.persisted, "an acceptance writes (with the snapshot of slot 0)")
  t.is((p2a.state as PaxosServerState<unknown>).log.saved, 1, "slot 0 is saved: reported as executed from then on")
})

test("without lazyLearning (the checker's default), the step that learns a slot chosen writes it: a crash right after keeps it chosen", (t) => {
  const out = drive(env(true, false), STEPS)
  t.true(out.persisted, "the step that learns slot 0 is chosen writes")
  const s = runRecover(env(true, false), out.durable).state as PaxosServerState<Map<string, string>>
  t.deepEqual([...s.log.log].map(([slot, e]) => [slot, e.chosen]), [[0, true], [1, false]], "slot 0 comes back chosen")
})

test("without persistence the same replica comes back empty (the test can fail)", (t) => {
  const out = drive(env(false), [...STEPS, HEARTBEAT])
  const s = runRecover(env(false), out.durable).state as PaxosServerState<Map<string, string>>
  t.deepEqual([s.log.round, s.log.log.size, s.app.app.size], [0, 0, 0])
})

test("a recovered replica replays the chosen slots after its snapshot to its parent", (t) => {
  const first = drive(env(true), [...STEPS, HEARTBEAT])
  const out = drive(env(true), [...STEPS, HEARTBEAT, [new Decisions({ entries: [[1, cmd(2, "b")]] }), "s3/log"], HEARTBEAT])
  const log = stored(out)!
  t.is(log.snapSlot, 1)
  // The snapshot of slot 0 with slot 1 chosen in the log: recovery must replay slot 1.
  const older = { ...(out.durable as Record<string, unknown>), log: { ...log, snapSlot: 0, snap: stored(first)!.snap } }
  const s = runRecover(env(true), older).state as PaxosServerState<Map<string, string>>
  t.is(s.app.app.get("k"), "b", "slot 1 is applied again after the snapshot of slot 0")
  t.is(s.log.slotOut, 2)
})

test("shard groups on Paxos persist: a group server restarts from its log's storage and all clients finish", (t) => {
  const restart = lab({
    description: "on Paxos: a server of group 1 crashes and restarts while shards move",
    groups: 2,
    script: (n) => [joinGroup(1, n), joinGroup(2, n), move(0, 2), move(5, 1)],
    workloads: () => [privateKeyWorkload("client1", 20), privateKeyWorkload("client2", 20)],
    sim: { faults: [{ at: 200, k: "crash", node: "g1s1" }, { at: 450, k: "restart", node: "g1s1" }] },
    log: "paxos",
  })
  const r = explore(restart.build({}, 1), { ...restart.options, seed: 1 })
  t.is(r.verdict, "goal-found", `${r.property} ${r.detail}`)
  const g1s1 = role<GroupServerState<unknown>>(3, "g1s1")
  const worlds = [r.path!.initial, ...r.path!.steps.map((s) => s.state)].map((w) => w as World)
  const down = worlds.findIndex((w) => !g1s1.up(w))
  const back = worlds.findIndex((w, i) => i > down && g1s1.up(w))
  t.true(down > 0 && back > down, `down at ${down}, back at ${back}`)
  t.true((g1s1.state(worlds[down - 1]!)!.app.config?.num ?? 0) > 0, "it had applied a configuration")
  t.true((g1s1.state(worlds[back]!)!.app.config?.num ?? 0) > 0, "in the restart step, its applied state is rebuilt from storage (a configuration, not none)")
  const last = worlds[worlds.length - 1]!
  const latest = Math.max(...[1, 2, 3].map((i) => role<GroupServerState<unknown>>(2 + i, `g1s${i}`).state(last)?.app.config?.num ?? 0))
  t.is(g1s1.state(last)!.app.config?.num, latest, "and it catches up with its group")
  // The group snapshots its applied state through the log, so the persisting Paxos log compacts.
  const log = (g1s1.state(last) as GroupServerState<unknown> & { log: PaxosState }).log
  t.true(log.snapSlot >= 0 && log.cleared > 0, `snapshot at ${log.snapSlot}, cleared below ${log.cleared}`)
  t.true(log.log.size < 40, `${log.log.size} slots kept of ${log.slotOut} executed`)
})
