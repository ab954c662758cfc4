/**
 * Retransmissions a live TCP connection makes redundant. A protocol checked on a lossy network re-sends
 * on a timer what may have been lost (Paxos's leader re-sends the phase-2 message of every unchosen
 * slot on each heartbeat). Over TCP nothing is lost while the connection to the peer and the peer's
 * connection back are the ones the first copy and its answer travel on: the re-sent copy only makes the
 * peer handle (and, for a P2a, persist and fdatasync) the same message again. Under load, when a slot
 * takes longer than a heartbeat to be chosen, that doubled the followers' work every heartbeat.
 *
 * A frame identical to one sent to the same peer is left out while both connections are the same
 * open ones and less than `windowMs` has passed; once either connection changed (the peer may have
 * lost the first copy, or its answer) or the window is over, the copy goes again. Leaving a message
 * out is always safe (the checked network may lose any message); the window bounds how long a loss
 * this does not foresee could delay progress.
 */
export interface Link {
  readonly isOpen: boolean
}

interface Sent {
  readonly at: number
  readonly out: Link
  readonly back: Link | undefined
}

export class ResendDamper {
  /** Per peer: frames sent recently, in the order they were (last) sent. */
  private readonly sent = new Map<string, Map<string, Sent>>()

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now()
  ) {}

  /**
   * Whether `text`, about to go to `peer` on `out` (the peer answering on `back`), repeats a copy still
   * on its way: then it is left out. Otherwise it is noted as sent and goes.
   */
  redundant(peer: string, text: string, out: Link, back: Link | undefined): boolean {
    const now = this.now()
    let m = this.sent.get(peer)
    if (!m) this.sent.set(peer, (m = new Map()))
    // Forget what is past the window (oldest first).
    for (const [k, s] of m) {
      if (now - s.at < this.windowMs) break
      m.delete(k)
    }
    const prev = m.get(text)
    if (prev && prev.out === out && out.isOpen && prev.back === back && back?.isOpen === true) return true
    m.delete(text)
    m.set(text, { at: now, out, back })
    return false
  }
}

/**
 * Messages that one sent a moment before over the same live connections already carries. A Raft
 * leader answers a follower's acknowledgement with the entries past it (AppendEntriesReply: next <=
 * last index), but an AppendEntries holding those entries may already be on its way, sent when they
 * were appended: at one client the slower follower got each entry twice, took two steps and answered
 * twice (1.5 AppendEntries steps a put, the leader 2.75 acknowledgements). A message `covers` says is
 * carried by the last such message sent to the peer is left out while both connections are the same
 * open ones and less than `windowMs` has passed, as ResendDamper leaves out a copy.
 */
export class CoverHold<M> {
  /** Per peer: the last message sent that may cover later ones, when, and the connections it and its answer travel on. */
  private readonly last = new Map<string, { readonly msg: M; readonly at: number; readonly out: Link; readonly back: Link | undefined }>()

  constructor(
    private readonly windowMs: number,
    private readonly covers: (earlier: M, later: M) => boolean,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** Whether `msg`, about to go to `peer` on `out` (answered on `back`), is carried by the message sent before it: then it is left out. Otherwise, if it may cover later ones, it is noted as sent and goes. */
  needless(peer: string, msg: M, out: Link, back: Link | undefined): boolean {
    const l = this.last.get(peer)
    if (l && l.out === out && out.isOpen && l.back === back && back?.isOpen === true && this.now() - l.at < this.windowMs && this.covers(l.msg, msg)) return true
    if (this.covers(msg, msg)) this.last.set(peer, { msg, at: this.now(), out, back })
    return false
  }
}
