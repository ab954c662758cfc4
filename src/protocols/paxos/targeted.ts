/**
 * Targeted staged searches for Multi-Paxos (issue 14 item 5), as raft/targeted.ts does for Raft: one
 * BFS per stage drives the cluster to a situation that whole-space searches reach only past their
 * budget (each stage may cut servers off, and lets only named servers stand for election), and the
 * last stage searches on from there in the full system, with every invariant. Traces start at the
 * initial state and replay on the unstaged system.
 *
 * The situation here is the one Multi-Paxos's duplicate-execution bugs need, two ballot changes deep:
 * a command proposed in a slot whose leader then loses office (only that leader holds it), the same
 * command retried with a new leader and chosen in another slot, and a third leader whose quorum holds
 * the deposed leader's entry but not the second leader's value for that slot, so it re-proposes the
 * orphan: the command is chosen in two slots, and the exactly-once layer must run it once.
 */
import { rootOf } from "../../core/execute.ts"
import type { ProtocolState } from "../../core/compile.ts"
import type { Address } from "../../core/node.ts"
import type { World } from "../../core/world.ts"
import { type Stage, staged } from "../../checker/staged.ts"
import { goal, prune, type StateProperty, type TransitionSystem } from "../../checker/transition-system.ts"
import type { Event } from "../../core/compile.ts"
import type { CheckOptions } from "../../checker/result.ts"
import { commandKey, type Replica } from "./properties.ts"
import { Heartbeat, P2b, type PaxosState } from "./server.ts"

/** One stage's system: `campaigners` (server indices) alone may stand for election; `partition` cuts the network when given. */
export type StageSystem = (campaigners: ReadonlyArray<number>, partition?: ReadonlyArray<ReadonlyArray<Address>>) => TransitionSystem<ProtocolState, Event>

/** Prune: a server not in `campaigners` is a candidate (it runs phase 1 for a ballot of its own). */
export const onlyCampaigners = (group: ReadonlyArray<Replica>, campaigners: ReadonlyArray<number>): StateProperty<ProtocolState> =>
  prune<ProtocolState>("ANOTHER_CANDIDATE", (w) =>
    group.some((r, i) => {
      if (campaigners.includes(i)) return false
      const s = r.log(w)
      return s !== undefined && !s.active && s.round > 0 && rootOf(s.leader) === r.name
    })
  )

/** The slots a replica holds accepted (not chosen), by command. */
const acceptedSlots = (s: PaxosState): Array<readonly [number, string]> => {
  const out: Array<readonly [number, string]> = []
  for (const [slot, e] of s.log) if (!e.chosen) out.push([slot, commandKey(e.command)])
  return out
}

/** Replica `i` alone holds an accepted entry: no other replica has anything in that slot. */
export const aloneAccepted = (group: ReadonlyArray<Replica>, i: number) =>
  goal<ProtocolState>(`${group[i]!.name.toUpperCase()}_ALONE_ACCEPTED`, (w) => {
    const s = group[i]!.log(w)
    if (!s) return false
    return acceptedSlots(s).some(([slot, key]) => key !== "noop" && group.every((r, j) => j === i || !r.log(w)?.log.has(slot)))
  })

/** A client command accepted by one replica in one slot is chosen in another slot at another replica. */
export const commandInTwoSlots = (group: ReadonlyArray<Replica>) =>
  goal<ProtocolState>("COMMAND_IN_TWO_SLOTS", (w: World) => {
    const chosen = new Map<string, number>()
    for (const r of group) for (const [slot, e] of r.log(w)?.log ?? []) if (e.chosen && e.command._tag !== "Noop") chosen.set(commandKey(e.command), slot)
    return group.some((r) => {
      const s = r.log(w)
      return s !== undefined && acceptedSlots(s).some(([slot, key]) => chosen.has(key) && chosen.get(key) !== slot)
    })
  })

/** Replica `i` leads (phase 1 done) a ballot of round `round` or later (default: past the initial one). */
export const leads = (group: ReadonlyArray<Replica>, i: number, round = 1) =>
  goal<ProtocolState>(`${group[i]!.name.toUpperCase()}_LEADS${round > 1 ? `_ROUND_${round}` : ""}`, (w) => {
    const s = group[i]!.log(w)
    return s !== undefined && s.active && s.round >= round
  })

/** A replica executed one client command in two slots (it is chosen in both): the exactly-once layer's turn. */
export const executedInTwoSlots = (group: ReadonlyArray<Replica>) =>
  goal<ProtocolState>("EXECUTED_IN_TWO_SLOTS", (w) =>
    group.some((r) => {
      const s = r.log(w)
      if (!s) return false
      const seen = new Set<string>()
      for (const [slot, e] of s.log) {
        if (slot >= s.slotOut || !e.chosen || e.command._tag === "Noop") continue
        const key = commandKey(e.command)
        if (seen.has(key)) return true
        seen.add(key)
      }
      return false
    })
  )

/**
 * The orphaned command, staged on 3 servers and two clients appending once (servers s1-s3, clients
 * c1, c2): (1) cut off with c1, s1 (the ballot-0 leader) accepts c1's command, alone; (2) s1 cut off,
 * s2 wins ballot 1 with s3, and the clients' requests reach it: one command is chosen in another slot
 * than the one s1 holds it in; (3) s2 cut off, s3 wins ballot 2 with s1; (4) the full network, only s3
 * campaigning, until a replica executed the command in both slots (EXECUTED_IN_TWO_SLOTS). `budget`
 * bounds each stage's BFS.
 */
export const orphanedCommand = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  return staged(
    [
      { system: sys([], [[s1, "client1"], [s2, s3, "client2"]]), goal: aloneAccepted(group, 0) },
      { system: sys([1], [[s1], [s2, s3, "client1", "client2"]]), goal: commandInTwoSlots(group) },
      { system: sys([2], [[s1, s3], [s2, "client1", "client2"]]), goal: leads(group, 2) },
    ],
    { system: sys([2]), goal: executedInTwoSlots(group) },
    budget
  )
}

/**
 * Replica `i` was deposed (it is no leader) while a phase-2 reply is in flight to it for a slot it
 * holds, from an acceptor that does not hold that slot's command: a rejection, or a vote since
 * overwritten. Counted as a vote once `i` leads again, it would choose a value no majority holds.
 */
export const unbackedVoteInFlight = (group: ReadonlyArray<Replica>, i: number) =>
  goal<ProtocolState>(`UNBACKED_VOTE_TO_${group[i]!.name.toUpperCase()}`, (w) => {
    const me = group[i]!
    const s = me.log(w)
    if (!s || s.active) return false
    return w.net.some((env) => {
      if (!(env.msg instanceof P2b) || rootOf(env.to) !== me.name) return false
      const mine = s.log.get(env.msg.slot)
      if (!mine || mine.chosen) return false
      const sender = group.find((r) => r.name === rootOf(env.from))?.log(w)
      const theirs = sender?.log.get(env.msg.slot)
      return !theirs || commandKey(theirs.command) !== commandKey(mine.command)
    })
  })

/** Replica `i` holds slot `slot` chosen. */
export const chosenAt = (group: ReadonlyArray<Replica>, i: number, slot: number) =>
  goal<ProtocolState>(`${group[i]!.name.toUpperCase()}_CHOSE_SLOT_${slot}`, (w) => group[i]!.log(w)?.log.get(slot)?.chosen === true)

/**
 * Stale votes, staged on 3 servers and one client (s1-s3): (1) s1, the ballot-0 leader, proposes the
 * client's command; s3 stands for ballot 1, s2 promises it and so rejects s1's proposal, and s1 hears
 * of ballot 1 and steps down, the rejection still in flight (UNBACKED_VOTE_TO_SERVER1); (2) s1 wins
 * ballot 2 (s1 and s3 may campaign) and re-proposes the slot; (3) on, until s1 has the slot chosen,
 * every invariant checked (CHOSEN_BY_MAJORITY: the old rejection is no vote).
 */
export const staleVotes = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) =>
  staged(
    [
      { system: sys([2]), goal: unbackedVoteInFlight(group, 0) },
      { system: sys([0, 2]), goal: leads(group, 0) },
    ],
    { system: sys([0, 2]), goal: chosenAt(group, 0, 0) },
    budget
  )

/**
 * Rival values of one round: a slot that one replica holds chosen, while another holds another
 * command there accepted at another ballot of the same round (two servers led that round in turn).
 */
export const sameRoundRivals = (group: ReadonlyArray<Replica>) =>
  goal<ProtocolState>("SAME_ROUND_RIVALS", (w) => {
    const logs = group.map((r) => r.log(w))
    return logs.some((a) => {
      if (!a) return false
      for (const [slot, e] of a.log) {
        if (!e.chosen) continue
        const key = commandKey(e.command)
        for (const b of logs) {
          const f = b?.log.get(slot)
          if (f && !f.chosen && f.round === e.round && f.leader !== e.leader && commandKey(f.command) !== key) return true
        }
      }
      return false
    })
  })

/** Replica `i` (called `label` in the goal's name) leads a ballot past the initial one and alone holds an accepted command. */
const leadsAloneAccepted = (group: ReadonlyArray<Replica>, i: number, label: string) => {
  const alone = aloneAccepted(group, i)
  const leading = leads(group, i)
  return goal<ProtocolState>(`${label}_LEADS_ALONE_ACCEPTED`, (w) => leading.holds(w) && alone.holds(w))
}

/**
 * Duelling leaders of one round, staged on 3 servers and two clients (s1-s3, c1, c2): (1) with c2, s2
 * wins ballot (1, s2) and accepts c2's command, alone; (2) s2 cut off, s3 wins (1, s3), a higher ballot
 * of the same round, and has c1's command chosen in that slot with s1; (3) s3 cut off, s2 wins round 2
 * with s1, whose promise reports (1, s3)'s value beside s2's own (1, s2) one: the higher ballot's must
 * win; (4) on, until s2 has the slot chosen, every invariant checked (LOGS_CONSISTENT).
 */
export const duellingLeaders = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  return staged(
    [
      { system: sys([1], [[s1, s2, "client2"], [s3, "client1"]]), goal: leadsAloneAccepted(group, 1, "S2") },
      { system: sys([2], [[s1, s3, "client1"], [s2, "client2"]]), goal: sameRoundRivals(group) },
      { system: sys([1], [[s1, s2, "client2"], [s3, "client1"]]), goal: leads(group, 1, 2) },
    ],
    { system: sys([1, 2]), goal: chosenAt(group, 1, 0) },
    budget
  )
}

/** Replica `i` has executed through slot `slot`. */
const executedThrough = (group: ReadonlyArray<Replica>, i: number, slot: number) =>
  goal<ProtocolState>(`${group[i]!.name.toUpperCase()}_EXECUTED_${slot}`, (w) => (group[i]!.log(w)?.slotOut ?? 0) > slot)

/**
 * A lagging follower caught up while the leader has a proposal open, staged on 5 servers (s1-s5) and
 * one client appending twice: (1) s4 and s5 cut off, s1 (the ballot-0 leader) has the first command
 * chosen and executed and proposes the second, which it alone holds; (2) healed, no election, on until
 * s4 has executed slot 0: the leader's catch-up must send it chosen slots only (CHOSEN_BY_MAJORITY:
 * with 5 servers, the leader and the follower are no majority).
 */
export const laggingFollower = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const names = group.map((r) => r.name)
  const executedAlone = aloneAccepted(group, 0)
  return staged(
    [
      {
        system: sys([], [[names[0]!, names[1]!, names[2]!, "client1"], [names[3]!], [names[4]!]]),
        goal: goal<ProtocolState>("S1_EXECUTED_AND_PROPOSED_ALONE", (w) => (group[0]!.log(w)?.slotOut ?? 0) >= 1 && executedAlone.holds(w)),
      },
    ],
    { system: sys([]), goal: executedThrough(group, 3, 0) },
    budget
  )
}

/** Server `i` (node `i`: servers come first) has no heartbeat timer pending: a leader's last one fired after it stepped down. */
const heartbeatsStopped = (w: World, i: number): boolean => !w.nodes[i]!.timers.some((t) => t.timer._tag === "HeartbeatTimer")

/**
 * Leadership goes round and must come back, staged on 3 servers and no client (s1-s3): (1) s2 wins
 * ballot 1 and s1, the ballot-0 leader, steps down; (2) s3 wins ballot 2, s2 steps down, and the
 * heartbeat timers of both former leaders have fired since; (3) s3 cut off: s1 or s2 must win round 3
 * (a former leader watches the new one with an election timer). Needs at most 3 ballot changes.
 */
export const leadershipComesBack = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const s3Leads = leads(group, 2, 2)
  const back = goal<ProtocolState>("FORMER_LEADER_LEADS_ROUND_3", (w) => [0, 1].some((i) => leads(group, i, 3).holds(w)))
  return staged(
    [
      { system: sys([1]), goal: goal<ProtocolState>("S2_LEADS_S1_STEPPED_DOWN", (w) => leads(group, 1).holds(w) && group[0]!.log(w)?.active === false) },
      {
        system: sys([2]),
        goal: goal<ProtocolState>("S3_LEADS_FORMER_LEADERS_QUIET", (w) => s3Leads.holds(w) && group[1]!.log(w)?.active === false && heartbeatsStopped(w, 0) && heartbeatsStopped(w, 1)),
      },
      { system: sys([0, 1], [[s1, s2], [s3]]), goal: back },
    ],
    { system: sys([0, 1]), goal: back },
    budget
  )
}

/** Client node `i` (after the servers) has had at least one reply. */
const clientAnswered = (group: ReadonlyArray<Replica>, i: number) => (w: World): boolean => w.nodes[group.length + i]!.client?.results !== undefined

/**
 * A deposed leader asked to read, staged on 3 servers (s1-s3) with leader-confirmed reads (read-index.ts)
 * and one client that writes a key and then reads it: (1) s3 cut off with the client, s2 wins ballot
 * (1, s2) with s1; (2) s2 cut off, s3 wins (1, s3), a higher ballot of the same round, and the client's
 * write completes through it with s1; (3) s3 cut off: s2, still leading (1, s2) as far as it knows, gets
 * the client's read, which it may answer only once a majority confirms its ballot, and s1 is promised to
 * another; on until the client is done (RESULTS_OK: the read returns the write).
 */
export const deposedReader = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const answered = clientAnswered(group, 0)
  const done = goal<ProtocolState>("CLIENT1_READ_ANSWERED", (w) => w.nodes[group.length]!.client?.results?.tail !== undefined)
  return staged(
    [
      { system: sys([1], [[s1, s2], [s3, "client1"]]), goal: leads(group, 1) },
      { system: sys([2], [[s1, s3, "client1"], [s2]]), goal: goal<ProtocolState>("S3_LEADS_WRITE_DONE", (w) => leads(group, 2).holds(w) && answered(w)) },
    ],
    { system: sys([1], [[s1, s2, "client1"], [s3]]), goal: done },
    budget
  )
}

/** Some follower (not replica 0) holds a slot accepted above a slot that no replica holds anything in. */
const holeBelowAccepted = (group: ReadonlyArray<Replica>) =>
  goal<ProtocolState>("HOLE_BELOW_ACCEPTED", (w) => {
    const logs = group.map((r) => r.log(w))
    return logs.slice(1).some((s) => s !== undefined && [...s.log].some(([slot, e]) => !e.chosen && slot > 0 && logs.slice(1).every((o) => !o?.log.has(slot - 1))))
  })

/** Some replica executed a no-op chosen by a new leader for a hole. */
const noopExecuted = (group: ReadonlyArray<Replica>) =>
  goal<ProtocolState>("NOOP_EXECUTED", (w) => group.some((r) => {
    const s = r.log(w)
    return s !== undefined && [...s.log].some(([slot, e]) => e.chosen && e.command._tag === "Noop" && slot < s.slotOut)
  }))

/**
 * A hole filled with a no-op, then compaction, staged on 3 persisting servers (s1-s3) and two clients
 * appending once: (1) s1 (the ballot-0 leader) proposes both commands, and a follower accepts the second
 * slot but no follower the first; (2) s1 cut off, s2 wins ballot 1 with s3, re-proposes the second slot
 * and fills the first with a no-op, which some replica executes alone (a no-op hands its parent
 * nothing, so no snapshot is taken at it); (3) still cut off, s3 executes the no-op and s2 the second
 * slot; (4) healed, no more elections, until s1 has executed the no-op too; (5) on until s3, which
 * executed the no-op alone, clears it, every invariant checked on the way (STORAGE_REPLAYABLE: what a replica stored
 * still replays past its compaction point; CATCH_UP_POSSIBLE).
 */
export const noopCompaction = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const stages = noopCompactionStages(sys, group)
  return staged(stages.slice(0, -1), stages.at(-1)!, budget)
}

/** noopCompaction's stages, the last one ending where s3 has cleared slot 0. */
const noopCompactionStages = (sys: StageSystem, group: ReadonlyArray<Replica>): Array<Stage<ProtocolState, Event>> => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const cutOff = [[s1], [s2, s3, "client1", "client2"]]
  const executed = (i: number) => (w: World) => group[i]!.log(w)?.slotOut ?? 0
  return [
    { system: sys([]), goal: holeBelowAccepted(group) },
    { system: sys([1], cutOff), goal: goal<ProtocolState>("S2_LEADS_NOOP_EXECUTED", (w) => leads(group, 1).holds(w) && noopExecuted(group).holds(w)) },
    { system: sys([1], cutOff), goal: goal<ProtocolState>("S3_EXECUTED_0_S2_EXECUTED_1", (w) => executed(2)(w) >= 1 && executed(1)(w) >= 2) },
    { system: sys([1]), goal: executedThrough(group, 0, 0) },
    { system: sys([1]), goal: goal<ProtocolState>("S3_CLEARED_SLOT_0", (w) => (group[2]!.log(w)?.cleared ?? 0) > 0) },
  ]
}

/**
 * The few steps after a compaction: noopCompaction's stages through s3 clearing slot 0, then a search
 * on from there with no goal, within its budget, every invariant checked. Every message sent before the
 * compaction is still in flight (the network repeats), so what a replica does with one about a slot it
 * cleared (a phase-2 request re-sent, a stale heartbeat or promise) is checked one step after it cleared
 * (LOG_WINDOW: a cleared slot stays out of the log).
 */
export const afterCompaction = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) =>
  staged(noopCompactionStages(sys, group), { system: sys([1]), goal: goal<ProtocolState>("NEVER", () => false) }, budget)

/** A replica's last executed slot holds a no-op: it took no snapshot there (a no-op hands its parent nothing). */
const executedNoopLast = (s: PaxosState | undefined): boolean => s !== undefined && s.slotOut > 0 && s.log.get(s.slotOut - 1)?.command._tag === "Noop"

/**
 * A leader whose last executed slot is a no-op, then compaction through it, staged on 3 persisting
 * servers (s1-s3) and two clients appending once, in the fewest steps (hunt-noop-compaction reaches a
 * like situation in 21): (1) only s2 may campaign: s1 proposes both commands, s3 accepts the second
 * slot alone, s2 wins ballot 1 with s3, re-proposes the second slot and fills the first with a no-op,
 * and has the no-op chosen and executed, not yet the slot after it; (2) every replica executes the
 * no-op (s2's decisions); (3) on until s2 clears slot 0. On the way a replica with no snapshot at or
 * after the no-op learns, by heartbeat replies, that everyone executed it: it may clear only through
 * the slot after its snapshot (STORAGE_REPLAYABLE at the write that clears past it).
 */
export const noopLastCompaction = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const second = (w: World) => group[1]!.log(w)
  return staged(
    [
      {
        system: sys([], [[s1, s3, "client1", "client2"], [s2]]),
        goal: goal<ProtocolState>("S3_HOLE_BELOW_ACCEPTED", (w) => {
          const s = group[2]!.log(w)
          return s !== undefined && !s.log.has(0) && s.log.get(1)?.chosen === false
        }),
      },
      { system: sys([1]), goal: goal<ProtocolState>("S2_LEADS_EXECUTED_NOOP_LAST", (w) => second(w)?.active === true && executedNoopLast(second(w))) },
      {
        system: sys([1]),
        goal: goal<ProtocolState>("ALL_EXECUTED_S2_NOOP_LAST", (w) => executedNoopLast(second(w)) && group.every((r) => (r.log(w)?.slotOut ?? 0) >= second(w)!.slotOut)),
      },
    ],
    { system: sys([1]), goal: goal<ProtocolState>("COMPACTION_ANNOUNCED", (w) => w.net.some((e) => e.msg instanceof Heartbeat && e.msg.clear > 0)) },
    budget
  )
}

/**
 * A lower round's value, of a leader whose name sorts last, against a later round's chosen value,
 * staged on 3 servers and two clients (s1-s3, c1, c2): (1) with c1, s3 wins ballot (1, s3) with s2
 * and accepts c1's command, alone; (2) s3 cut off, s2 wins (2, s2) with s1 and has another command
 * (c2's) chosen in that slot; (3) s2 cut off, s3 wins (2, s3) with s1, whose promise reports (2, s2)'s value beside
 * s3's own (1, s3) one: the later round's must win though s2 sorts before s3 (a ballot is compared
 * round first); on until s1 accepts s3's proposal for the slot (CHOSEN_BY_MAJORITY when it is
 * another value: s2's chosen one is then held by s2 alone).
 */
export const lowerRoundRival = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  return staged(
    [
      { system: sys([2], [[s2, s3, "client1"], [s1, "client2"]]), goal: leadsAloneAccepted(group, 2, "S3") },
      {
        system: sys([1], [[s1, s2, "client2"], [s3, "client1"]]),
        goal: goal<ProtocolState>("S2_CHOSE_A_RIVAL_OF_S3", (w) => {
          const chosen = group[1]!.log(w)?.log.get(0)
          const mine = group[2]!.log(w)?.log.get(0)
          return chosen?.chosen === true && mine !== undefined && !mine.chosen && commandKey(mine.command) !== commandKey(chosen.command)
        }),
      },
    ],
    {
      system: sys([2], [[s1, s3, "client1", "client2"], [s2]]),
      goal: goal<ProtocolState>("S1_ACCEPTED_FROM_S3", (w) => {
        const e = group[0]!.log(w)?.log.get(0)
        return e !== undefined && !e.chosen && rootOf(e.leader) === s3
      }),
    },
    budget
  )
}

/** Replica `i` holds slot `slot` accepted, not chosen, and no other replica holds anything there. */
const holdsAlone = (group: ReadonlyArray<Replica>, i: number, slot: number) => (w: World): boolean =>
  group[i]!.log(w)?.log.get(slot)?.chosen === false && group.every((r, j) => j === i || !r.log(w)?.log.has(slot))

/**
 * A leader's own stale proposal, staged on 3 servers and one client (s1-s3): (1) only s2 may campaign:
 * s1, the ballot-0 leader, proposes the client's command, which no follower has accepted yet, and
 * steps down on hearing of s2's ballot; (2) s1 stands again (s2 is still a candidate): s3 promises s1's next ballot, still
 * holding nothing in the slot; (3) s1 cut off alone wins that ballot on s3's promise and re-proposes
 * the slot, its phase-2 messages lost; (4) the network whole, on until s1 has the slot chosen. The
 * ballot-0 proposal, still in flight, reaches s3, which must reject it: a rejection to the promise's own
 * leader carries s1's new ballot and, counted as s3's vote, chooses a value s1 alone holds
 * (CHOSEN_BY_MAJORITY in two steps, where the honest choice takes three: a heartbeat re-sends the
 * proposal, s3 accepts, s3's vote arrives; so BFS meets the violation first, whatever the seed).
 */
export const ownStaleProposal = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const alone = holdsAlone(group, 0, 0)
  const first = (w: World) => group[0]!.log(w)
  return staged(
    [
      { system: sys([1]), goal: goal<ProtocolState>("S1_DEPOSED_HOLDING_SLOT_0_ALONE", (w) => first(w)?.active === false && alone(w)) },
      {
        system: sys([0, 1]),
        goal: goal<ProtocolState>("S3_PROMISED_S1_AGAIN", (w) => {
          const third = group[2]!.log(w)
          return third !== undefined && third.round > 1 && rootOf(third.leader) === s1 && first(w)?.active === false && alone(w)
        }),
      },
      { system: sys([0, 1], [[s1, "client1"], [s2], [s3]]), goal: goal<ProtocolState>("S1_LEADS_AGAIN_HOLDING_SLOT_0_ALONE", (w) => leads(group, 0, 2).holds(w) && alone(w)) },
    ],
    { system: sys([0, 1]), goal: chosenAt(group, 0, 0) },
    budget
  )
}
