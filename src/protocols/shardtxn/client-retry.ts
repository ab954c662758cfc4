/**
 * CLIENT_RETRIES_WITH_NEW_ATTEMPT (a step property of the transaction clients): a client told that its
 * current attempt aborted tries again with a newer attempt. The coordinator answers an id it has
 * already decided from its record (exactly once), so a retry under the aborted attempt's id is only ever
 * told "aborted" again: the transaction can never commit.
 *
 * CLIENT_TAKES_ONLY_ITS_ATTEMPTS_REPLY: a reply to another attempt of the client's current
 * transaction (a late or duplicated abort of an earlier attempt) changes nothing: taking it would start
 * yet another attempt while the current one may still commit, so the transaction could commit twice.
 */
import type { StepProperty } from "../../checker/transition-system.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { TxnClientState } from "./client.ts"
import type { TxnReply } from "./messages.ts"

export const clientRetriesWithNewAttempt = (): StepProperty<ProtocolState, Event> => ({
  name: "CLIENT_RETRIES_WITH_NEW_ATTEMPT",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env.msg._tag !== "TxnReply") return undefined
    const { id, committed } = label.env.msg as TxnReply
    const before = from.nodes[label.env.dst]?.state as TxnClientState | undefined
    const after = to.nodes[label.env.dst]?.state as TxnClientState | undefined
    if (committed || !before || !after || before.txn === null || id.seq !== before.seq || id.attempt !== before.attempt) return undefined
    return after.attempt > before.attempt ? undefined : `${label.env.to} is told its attempt ${id.attempt} of transaction ${id.seq} aborted and keeps that attempt (${after.attempt}) for its retry`
  },
})

export const clientTakesOnlyItsAttemptsReply = (): StepProperty<ProtocolState, Event> => ({
  name: "CLIENT_TAKES_ONLY_ITS_ATTEMPTS_REPLY",
  check: (from, label, to) => {
    if (label.k !== "deliver" || label.env.msg._tag !== "TxnReply") return undefined
    const { id } = label.env.msg as TxnReply
    const before = from.nodes[label.env.dst]?.state as TxnClientState | undefined
    const after = to.nodes[label.env.dst]?.state as TxnClientState | undefined
    if (!before || !after || before.txn === null || id.seq !== before.seq || id.attempt === before.attempt) return undefined
    const same = after.seq === before.seq && after.attempt === before.attempt && after.txn === before.txn
    return same ? undefined : `${label.env.to} takes the reply to attempt ${id.attempt} of transaction ${id.seq} while running attempt ${before.attempt} (now seq ${after.seq}, attempt ${after.attempt})`
  },
})
