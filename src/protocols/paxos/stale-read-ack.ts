/**
 * A read acknowledged before it began, staged as targeted.ts's searches are (session 14, issue 14
 * wave 12). A leader's read is confirmed by acknowledgements of its own probe (or a later one): an
 * acknowledgement still in flight from an earlier read says only that the follower stood in the
 * leader's ballot back then, before a newer leader may have committed a write. The leader must not
 * count it for a read it starts later (RESULTS_OK: the later read returns the write).
 */
import type { ProtocolState } from "../../core/compile.ts"
import type { Address } from "../../core/node.ts"
import type { World } from "../../core/world.ts"
import { staged } from "../../checker/staged.ts"
import { goal } from "../../checker/transition-system.ts"
import type { CheckOptions } from "../../checker/result.ts"
import type { Replica } from "./properties.ts"
import { leads, type StageSystem } from "./targeted.ts"

/** How many replies the client (the node after the servers) has had. */
const answersOf = (group: ReadonlyArray<Replica>) => (w: World): number => {
  let n = 0
  for (let r = w.nodes[group.length]!.client?.results; r; r = r.tail) n++
  return n
}

/**
 * Staged on 3 servers (s1-s3) with leader-confirmed reads and one client that reads a key, writes it,
 * and reads it again: (1) s1 (the ballot-0 leader) answers the first read, s3's acknowledgement of its
 * probe still in flight; (2) s1 cut off, s3 wins ballot 1 with s2 and the write completes through it,
 * the acknowledgement still in flight; (3) s2 cut off, no more elections: s1, still leading ballot 0
 * as far as it knows, may get the second read, start a new probe and receive the old acknowledgement;
 * on until the client is done (the read answered by s3, which has the write).
 */
export const staleReadAck = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const answers = answersOf(group)
  const ackInFlight = (w: World) => w.net.some((e) => e.msg._tag === "ReadProbeAck" && e.src === 2 && e.dst === 0)
  return staged(
    [
      { system: sys([]), goal: goal<ProtocolState>("READ_ANSWERED_S3_ACK_IN_FLIGHT", (w) => answers(w) === 1 && ackInFlight(w)) },
      {
        system: sys([2], [[s1], [s2, s3, "client1"]]),
        goal: goal<ProtocolState>("S3_LEADS_WRITE_DONE_ACK_IN_FLIGHT", (w) => leads(group, 2).holds(w) && answers(w) === 2 && ackInFlight(w)),
      },
    ],
    { system: sys([], [[s1, s3, "client1"], [s2]]), goal: goal<ProtocolState>("CLIENT1_SECOND_READ_ANSWERED", (w) => answers(w) === 3) },
    budget
  )
}

/**
 * One follower's acknowledgements counted as several, staged on 5 servers (s1-s5) with leader-confirmed
 * reads and one client that writes a key and then reads it: (1) s1 and s2 cut off, s3 wins ballot 1
 * with s4 and s5 and the write completes through it; (2) s3-s5 cut off: s1, still leading ballot 0 as
 * far as it knows, gets the read, s2 acknowledges its probe, the client retries and s1 probes again,
 * s2's second acknowledgement in flight; (3) the full network, no more elections: s1 may receive it (two
 * acknowledgements from one replica are one: s1 and s2 are no majority of five); on until the client is
 * done (RESULTS_OK: the read returns the write).
 */
export const readAckedTwice = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3, s4, s5] = group.map((r) => r.name) as [Address, Address, Address, Address, Address]
  const answers = answersOf(group)
  const s2Acked = (w: World) => {
    const reads = (group[0]!.log(w) as { readonly reads?: ReadonlyArray<{ readonly acks: ReadonlyArray<Address> }> } | undefined)?.reads
    return reads?.some((r) => r.acks.some((a) => a.startsWith(`${s2}/`) || a === s2)) === true
  }
  const ackInFlight = (w: World) => w.net.some((e) => e.msg._tag === "ReadProbeAck" && e.src === 1 && e.dst === 0)
  return staged(
    [
      { system: sys([2], [[s1, s2], [s3, s4, s5, "client1"]]), goal: goal<ProtocolState>("S3_LEADS_WRITE_DONE", (w) => leads(group, 2).holds(w) && answers(w) === 1) },
      {
        system: sys([], [[s1, s2, "client1"], [s3, s4, s5]]),
        goal: goal<ProtocolState>("S2_ACKED_AGAIN_IN_FLIGHT", (w) => s2Acked(w) && ackInFlight(w)),
      },
    ],
    { system: sys([]), goal: goal<ProtocolState>("CLIENT1_READ_ANSWERED", (w) => answers(w) === 2) },
    budget
  )
}

/**
 * A read at a new leader that has yet to execute a completed write, staged on 3 servers (s1-s3) with
 * leader-confirmed reads and one client that writes a key and then reads it: (1) s3 cut off, s1 (the
 * ballot-0 leader) has the write chosen with s2 and answers it, its decision to s2 still in flight (s2
 * holds the slot accepted only); (2) s1 cut off, only s3 campaigning: s3 wins ballot 1 with s2, whose
 * promise reports the accepted write, and re-proposes it; s3 gets the read and s2 confirms its ballot
 * before the write is chosen again; on until the read is answered (RESULTS_OK: a confirmed read waits
 * until the leader applied every slot it held when the read began, so it returns the write).
 */
export const newLeaderReads = (sys: StageSystem, group: ReadonlyArray<Replica>, budget: CheckOptions) => {
  const [s1, s2, s3] = group.map((r) => r.name) as [Address, Address, Address]
  const answers = answersOf(group)
  const s2AcceptedOnly = (w: World) => {
    const e = group[1]!.log(w)?.log.get(0)
    return e !== undefined && !e.chosen
  }
  return staged(
    [{ system: sys([], [[s1, s2, "client1"], [s3]]), goal: goal<ProtocolState>("WRITE_DONE_S2_ACCEPTED_ONLY", (w) => answers(w) === 1 && s2AcceptedOnly(w)) }],
    { system: sys([2], [[s1], [s2, s3, "client1"]]), goal: goal<ProtocolState>("CLIENT1_READ_ANSWERED", (w) => answers(w) === 2) },
    budget
  )
}
