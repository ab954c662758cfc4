/**
 * Figure 2's rules for servers, as a step property on roles (session 12). Within one term a server's
 * role moves one way only: a follower campaigns only into a new term; a candidate becomes leader on a
 * majority, or a follower on hearing from the leader of its term (AppendEntries, InstallSnapshot); a
 * leader stays leader until it sees a newer term. ROLE_RULES: in no step that keeps an up server's
 * term does a leader stop leading, a follower become a candidate or leader, or a candidate become a
 * follower without a leader to follow. A term rule applied to a message of the server's own term
 * (the blind mutant term-rule-on-equal-term: >= for >) makes a candidate give up at its first vote;
 * before, only a liveness lasso (15 steps) showed it.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import { readsNodes } from "../../core/step-reads.ts"
import type { World } from "../../core/world.ts"
import { raftServers } from "./properties.ts"
import type { RaftState } from "./server.ts"

/** The servers are the first `n` nodes, named `names`. It reads the node records only (core/step-reads.ts). */
export const roleRules = <L>(n: number, names: ReadonlyArray<string>): StepProperty<World, L> => {
  const servers = raftServers(n)
  return readsNodes({
    name: "ROLE_RULES",
    check: (from, _label, to) => {
      for (let i = 0; i < n; i++) {
        if (from.nodes[i] === to.nodes[i]) continue
        const a = servers[i]!.state(from)?.log
        const b = servers[i]!.state(to)?.log
        if (!a || !b || a.term !== b.term || a.role === b.role) continue
        const who = `${names[i]} went from ${a.role} to ${b.role} in term ${a.term}`
        if (a.role !== "candidate") return who
        if (b.role === "follower" && b.leader === null) return `${who} with no leader to follow`
      }
      return undefined
    },
  })
}

/**
 * DEPOSED_LEADER_ARMED (session 14): a leader that stops leading in a step and stays up has its
 * election timer set after the step (Figure 2: a follower that hears from no one campaigns). One that
 * has none never campaigns again, a server fewer for every later election; the blind mutant
 * deposed-leader-without-election-timer was seen only as a staged search that could not reach its
 * last stage, with no trace. The servers are the first `n` nodes, named `names`; it reads the node
 * records only (core/step-reads.ts).
 */
export const deposedLeaderArmed = <L>(n: number, names: ReadonlyArray<string>): StepProperty<World, L> =>
  electionTimerRule<L>("DEPOSED_LEADER_ARMED", n, (a, b, armed, who) =>
    a?.role === "leader" && b.role !== "leader" && !armed ? `${who} stopped leading term ${a.term} (now ${b.role} of term ${b.term}) with no election timer set` : undefined, names)

/**
 * LEADER_UNARMED (session 15): no step leaves a leader with an election timer set (Figure 2: a leader
 * sends heartbeats; only followers and candidates time out; becomeLeader cancels it). A server that
 * resets its election timer on a message that is not from its term's leader, a refused vote request
 * (the blind mutant refused-vote-resets-timer) or an AppendEntries of an older term
 * (stale-append-resets-election-timer), sets one while it leads too. On a follower the reset does not
 * show in the records (its one timer is set again), so that is where a search sees such a reset.
 */
export const leaderUnarmed = <L>(n: number, names: ReadonlyArray<string>): StepProperty<World, L> =>
  electionTimerRule<L>("LEADER_UNARMED", n, (a, b, armed, who) => (a !== undefined && b.role === "leader" && armed ? `${who} leads term ${b.term} with an election timer set` : undefined), names)

/**
 * RESTARTED_ARMED (session 16): a server that comes back up in a step has its election timer set after
 * it (Figure 2: a server starts as a follower that campaigns when it hears from no one). One restarted
 * without it follows a leader that reaches it but never campaigns, a server fewer for every later
 * election; the blind mutant recover-without-election-timer was seen only as a search that missed its
 * goal, with no trace. The servers are the first `n` nodes, named `names`; it reads the node records only.
 */
export const restartedArmed = <L>(n: number, names: ReadonlyArray<string>): StepProperty<World, L> =>
  electionTimerRule<L>("RESTARTED_ARMED", n, (a, b, armed, who) =>
    a === undefined && b.role !== "leader" && !armed ? `${who} restarted as a ${b.role} of term ${b.term} with no election timer set` : undefined, names)

/**
 * A rule on the election timer of a server's step: `bad(a, b, armed, name)` on its log state before
 * (undefined: the server was down and the step restarted it) and after a step that changed its
 * record and leaves it up, `armed` whether an election timer is set after it. It reads the node
 * records only (core/step-reads.ts).
 */
const electionTimerRule = <L>(name: string, n: number, bad: (a: RaftState | undefined, b: RaftState, armed: boolean, who: string) => string | undefined, names: ReadonlyArray<string>): StepProperty<World, L> => {
  const servers = raftServers(n)
  return readsNodes({
    name,
    check: (from, _label, to) => {
      for (let i = 0; i < n; i++) {
        if (from.nodes[i] === to.nodes[i]) continue
        const a = servers[i]!.state(from)?.log
        const b = servers[i]!.state(to)?.log
        const why = b ? bad(a, b, to.nodes[i]!.timers.some((t) => t.timer._tag === "ElectionTimer"), names[i]!) : undefined
        if (why) return why
      }
      return undefined
    },
  })
}
