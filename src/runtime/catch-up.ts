/**
 * Whole-state transfers that a message already on its way makes needless. A Raft leader compacts its
 * log at its commit index; a follower a batch behind (its reply to the last AppendEntries not yet in)
 * then has a next index at or below the snapshot, and the leader's next send to it is InstallSnapshot:
 * the whole store, encoded, sent, decoded, validated and persisted, while the AppendEntries already on
 * the wire brings the follower past the snapshot point anyway. On a growing store that cost per
 * snapshot grows with the store (issue 11).
 *
 * A transfer up to index i of epoch e (Raft: InstallSnapshot's lastIncludedIndex, term) to a peer is
 * left out when a message of epoch e that takes the peer's log to i or beyond (an AppendEntries:
 * prevLogIndex + its entries) went to it over the same connection, still open, less than `windowMs`
 * ago. Leaving a message out is safe (the checked network may lose any message); if that message did
 * not take (a log mismatch, a lost connection), the transfer goes once the window is over or the
 * connection changed, so a follower that needs the snapshot waits at most the window.
 */
import type { Link } from "./resend.ts"

/** How far a message takes a peer's log, in one leader's epoch. */
export interface Reach {
  readonly epoch: number
  readonly index: number
}

export class CatchUpHold {
  /** Per peer: the furthest reach sent to it in the latest epoch, when, and over which connection. */
  private readonly reached = new Map<string, { readonly epoch: number; readonly index: number; readonly at: number; readonly out: Link }>()

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** Notes that a message taking `peer`'s log to `reach` was sent over `out`. */
  sent(peer: string, reach: Reach, out: Link): void {
    const r = this.reached.get(peer)
    if (r && r.out === out && r.epoch === reach.epoch && r.index > reach.index) return
    this.reached.set(peer, { epoch: reach.epoch, index: reach.index, at: this.now(), out })
  }

  /** Whether a transfer up to `needs`, about to go to `peer` over `out`, is made needless by a message sent before it. */
  needless(peer: string, needs: Reach, out: Link): boolean {
    const r = this.reached.get(peer)
    return r !== undefined && r.out === out && out.isOpen && r.epoch === needs.epoch && r.index >= needs.index && this.now() - r.at < this.windowMs
  }
}
