/**
 * Realistic cross-shard transaction bugs (two-phase commit over replicated groups, two-phase locking
 * per key), each a small edit of src/protocols/shardtxn/*.ts or of the group server's extension hooks
 * (see ../mutant.ts). Written from the protocol's code, before running any test against them.
 */
import type { FileMutant as Mutant } from "../mutant.ts"

const group = "src/protocols/shardtxn/group.ts"
const client = "src/protocols/shardtxn/client.ts"
const server = "src/protocols/shardkv/server.ts"

export const SHARDTXN_MUTANTS: ReadonlyArray<Mutant> = [
  // Two-phase commit: the coordinator.
  {
    name: "commit-on-some-votes",
    bug: "the coordinator commits once some participant has voted yes (some for every), not waiting for the others' votes",
    file: group,
    search: "const complete = c.participants.every((p) => c.votes.has(p.group))",
    replace: "const complete = c.participants.some((p) => c.votes.has(p.group))",
  },
  {
    name: "commit-despite-no-vote",
    bug: "the coordinator aborts only when every vote is no (every for some): a no among yes votes still commits",
    file: group,
    search: "if (votes.some((v) => v === null)) return new Coordinated({ ...c, decision: \"abort\" })",
    replace: "if (votes.length > 0 && votes.every((v) => v === null)) return new Coordinated({ ...c, decision: \"abort\" })",
  },
  {
    name: "abort-overrides-commit",
    bug: "an AbortTxn (a timeout's or a new leader's, applied after the votes) aborts a transaction whatever its decision, a committed one too",
    file: group,
    search: "return c === undefined || c.decision !== \"pending\" ? s : setRecord(s, new Coordinated({ ...c, decision: \"abort\" }))",
    replace: "return c === undefined ? s : setRecord(s, new Coordinated({ ...c, decision: \"abort\" }))",
  },
  {
    name: "retried-request-restarts",
    bug: "the coordinator's exactly-once check lets the same attempt through again (> for >=): a retried TxnRequest of a decided transaction starts it over, pending",
    file: group,
    search: "if (old !== undefined && compareIds(old.id, r.id) >= 0) return s",
    replace: "if (old !== undefined && compareIds(old.id, r.id) > 0) return s",
  },
  {
    name: "reply-before-logging",
    bug: "a group's leader answers a transaction message (vote, decision, reply to the client) from the state it would reach, before the command is in its log",
    file: server,
    search: "    const early = extension.beforeProposing?.(m, next)",
    replace: "    sendAll(ctx, extension.answers(m, next))\n    const early = extension.beforeProposing?.(m, next)",
  },
  // Two-phase commit: the participant, and recovery.
  {
    name: "new-leader-aborts-prepared",
    bug: "a participant group's new leader aborts the transactions its group prepared (it cannot know whether their votes were counted): a yes voter aborts on its own",
    file: group,
    search: "const onLeadership = (s: TxnGroupState): TxnCommand[] => [...s.coordinating.values()].filter((c) => c.decision === \"pending\").map((c) => new AbortTxn({ id: c.id }))",
    replace:
      "const onLeadership = (s: TxnGroupState): TxnCommand[] => [...[...s.coordinating.values()].filter((c) => c.decision === \"pending\").map((c) => new AbortTxn({ id: c.id })), ...[...s.prepared.values()].map((p) => new Decide({ id: p.id, commit: false, writes: new Map(), coordinator: [] }))]",
  },
  {
    name: "prepare-not-idempotent",
    bug: "a participant refuses only Prepares older than the newest it has seen (> for >=): a resent Prepare that arrives after the decision locks the keys again, for good",
    file: group,
    search: "if (seen !== undefined && compareIds(seen, p.id) >= 0) return s",
    replace: "if (seen !== undefined && compareIds(seen, p.id) > 0) return s",
  },
  // Two-phase locking.
  {
    name: "refused-prepare-frees-keys",
    bug: "a participant that refuses a Prepare on a conflict cleans up by releasing the keys that Prepare asked for, though another prepared transaction holds them",
    file: group,
    search: "if (!free) return withState(s, { seen: mark })",
    replace: "if (!free) return withState(s, { seen: mark, locks: new Map([...s.locks].filter(([k]) => !locked.includes(k))) })",
  },
  {
    name: "read-locks-not-taken",
    bug: "a participant locks (and checks) only the keys a transaction writes, not those it only reads",
    file: group,
    search: "const locked = bugs.readsSkipLocks ? p.written : p.keys",
    replace: "const locked = p.written",
  },
  {
    name: "write-ignores-read-locks",
    bug: "a participant checks for conflicts only on the keys the new transaction writes: a writer takes over a key another transaction holds for reading",
    file: group,
    search: "locked.every((k) => !s.locks.has(k))",
    replace: "p.written.every((k) => !s.locks.has(k))",
  },
  {
    name: "locks-kept-on-abort",
    bug: "a participant releases its locks when it applies a commit but not an abort",
    file: group,
    search: "const locks = new Map([...s.locks].filter(([, owner]) => owner !== d.id.client))",
    replace: "const locks = d.commit ? new Map([...s.locks].filter(([, owner]) => owner !== d.id.client)) : s.locks",
  },
  // The client.
  {
    name: "retry-same-attempt",
    bug: "after an abort the client retries its transaction with the same attempt number, which the coordinator takes for the aborted attempt",
    file: client,
    search: "const next: TxnClientState = { ...s, attempt: s.attempt + 1, coordinator: null }",
    replace: "const next: TxnClientState = { ...s, coordinator: null }",
  },
  // Session 7, the blind wave: written from the code before any test was run against them.
  {
    name: "decision-applied-to-newer-attempt",
    bug: "a participant applies a decision to whatever its client has prepared, not checking the attempt: a late abort of an earlier attempt releases the locks of the attempt that voted yes, and its commit is then dropped",
    file: group,
    search: "if (prepared === undefined || compareIds(prepared.id, d.id) !== 0) {",
    replace: "if (prepared === undefined) {",
  },
  {
    name: "config-moves-locked-shard",
    bug: "a group applies the next configuration while it holds prepared transactions: a locked shard moves away before the decision, whose writes then find no shard to go to",
    file: group,
    search: '    if (c._tag === "ApplyConfig" && s.prepared.size > 0 && c.config.num === (s.base.config?.num ?? 0) + 1) return [new Ignored({ reason: "migration-in-progress" }), s.draining ? s : withState(s, { draining: true })]\n',
    replace: "",
  },
  {
    name: "vote-yes-for-client-not-attempt",
    bug: "a participant votes yes when it has something prepared for the client, not checking that it is this attempt: a Prepare refused because an earlier attempt still holds the client's slot is answered yes",
    file: group,
    search: "const yes = p !== undefined && compareIds(p.id, command.id) === 0",
    replace: "const yes = p !== undefined",
  },
  {
    name: "client-takes-stale-txn-reply",
    bug: "the client matches a transaction reply by sequence number only: a late abort of an earlier attempt makes it start yet another attempt while the current one may commit, so the transaction can commit twice",
    file: client,
    search: "if (s.txn === null || m.id.seq !== s.seq || m.id.attempt !== s.attempt) return s\n        ctx.cancelTimer(TxnRetryTimer)",
    replace: "if (s.txn === null || m.id.seq !== s.seq) return s\n        ctx.cancelTimer(TxnRetryTimer)",
  },
  {
    name: "new-txn-drops-undelivered-decision",
    bug: "the coordinator replaces a client's finished transaction by its next one without waiting for every participant to acknowledge the decision: nobody resends it, and a participant that missed a commit never applies it",
    file: group,
    search: "    if (old !== undefined && old.participants.some((p) => !old.acked.includes(p.group))) return s\n",
    replace: "",
  },
  {
    name: "decision-for-unprepared-forgotten",
    bug: "a participant ignores a decision for a transaction it never prepared instead of remembering it: a Prepare delayed past the abort locks the keys, and nobody ever releases them",
    file: group,
    search: "      if (seen !== undefined && compareIds(seen, d.id) >= 0) return s\n      return withState(s, { seen: new Map(s.seen).set(d.id.client, d.id), outcomes })\n",
    replace: "      return s\n",
  },
  // Session 9, the blind wave: written from the code before any test was run against them.
  {
    name: "prepare-without-serving",
    bug: "a participant votes yes without checking that it serves the keys' shards: a Prepare sent from a coordinator's older configuration locks keys whose shard has moved, and the commit's writes then find no shard",
    file: group,
    search: "p.keys.every((k) => serving(s, k)) && ",
    replace: "",
  },
  {
    name: "decide-releases-all-locks",
    bug: "a participant applying a decision releases every lock it holds, not only the deciding transaction's: another prepared transaction loses its locks before its own decision",
    file: group,
    search: "const locks = new Map([...s.locks].filter(([, owner]) => owner !== d.id.client))",
    replace: "const locks = new Map<string, string>()",
  },
  {
    name: "single-get-ignores-locks",
    bug: "a single-key Get is served on a key a prepared transaction holds (only writes wait): it reads the value from before a commit the client may already have been told of",
    file: group,
    search: 's.locks.has(c.op.key) && !(bugs.readsSkipLocks && c.op._tag === "Get")',
    replace: 's.locks.has(c.op.key) && c.op._tag !== "Get"',
  },
  {
    name: "ack-matched-by-client",
    bug: "the coordinator matches a DecisionAck to the client's current record, not to its attempt: a late ack of an earlier attempt's abort marks the current decision delivered, so it is never resent to that participant",
    file: group,
    search: "  const acked = (s: TxnGroupState, a: DecisionAck): TxnGroupState => {\n    const c = coordinated(s, a.id)",
    replace: "  const acked = (s: TxnGroupState, a: DecisionAck): TxnGroupState => {\n    const c = s.coordinating.get(a.id.client)",
  },
  {
    name: "vote-matched-by-client",
    bug: "the coordinator counts a vote for the client's current attempt whatever attempt it answers: a late yes of an earlier attempt (whose locks were released by its abort) commits the current one",
    file: group,
    search: "const c = coordinated(s, v.id)",
    replace: "const c = s.coordinating.get(v.id.client)",
  },
  // Session 10, the blind wave: written from the code before any test was run against them.
  {
    name: "decision-not-resent",
    bug: "the coordinator's leader resends only what is pending (Prepares) on its HandoffTimer, not a decision some participant has not acknowledged: a participant that missed the Decide keeps its locks for good",
    file: group,
    search: "const resend = (s: TxnGroupState): Send[] => [...s.coordinating.values()].flatMap((c) => coordinatorSends(s, c, false))",
    replace: 'const resend = (s: TxnGroupState): Send[] => [...s.coordinating.values()].filter((c) => c.decision === "pending").flatMap((c) => coordinatorSends(s, c, false))',
  },
  {
    name: "draining-never-cleared",
    bug: "a group that held back a configuration for its prepared transactions (draining) keeps the flag once it applies it: it refuses every later Prepare, and no transaction on it commits again",
    file: group,
    search: 'withState(s, { base: next, draining: c._tag === "ApplyConfig" ? false : s.draining })',
    replace: "withState(s, { base: next, draining: s.draining })",
  },
  {
    name: "prepare-ignores-draining",
    bug: "a participant keeps preparing transactions while it waits to apply the next configuration: a steady stream of transactions holds the configuration back for good",
    file: group,
    search: "const free = !s.draining && !s.prepared.has(p.id.client)",
    replace: "const free = !s.prepared.has(p.id.client)",
  },
  {
    name: "participant-keys-overwritten",
    bug: "the coordinator records only the last of a participant's keys (set instead of append): the participant locks one key and the commit's writes to its other keys are lost",
    file: group,
    search: "else byGroup.set(owner, [...(byGroup.get(owner) ?? []), key])",
    replace: "else byGroup.set(owner, [key])",
  },
  {
    name: "abort-only-to-voters",
    bug: "the coordinator sends its decision only to participants whose vote it has: after an abort on timeout, a participant whose yes vote was lost is never told and holds its locks for good",
    file: group,
    search: "const sends = c.participants.filter((p) => !c.acked.includes(p.group)).map((p) => decisionFor(c, p, me))",
    replace: "const sends = c.participants.filter((p) => c.votes.has(p.group) && !c.acked.includes(p.group)).map((p) => decisionFor(c, p, me))",
  },
  // Session 11, the blind wave (seeds-shard): written from the code before any test was run against them.
  {
    name: "vote-values-of-written-keys",
    bug: "a participant's yes vote carries the values of the keys the transaction writes only, not of those it only reads: the coordinator computes the reads of a MultiGet (or a Swap's untouched key) as absent",
    file: group,
    search: "const values = new Map(yes ? command.keys.map((k) => [k, valueOf(s, k)] as const) : [])",
    replace: "const values = new Map(yes ? command.written.map((k) => [k, valueOf(s, k)] as const) : [])",
  },
  {
    name: "client-reply-matched-by-attempt",
    bug: "the client matches a transaction reply by attempt number only, not by sequence number: a late reply to its previous transaction (attempt 0 too) completes the current one with that transaction's reads",
    file: client,
    search: "if (s.txn === null || m.id.seq !== s.seq || m.id.attempt !== s.attempt) return s",
    replace: "if (s.txn === null || m.id.attempt !== s.attempt) return s",
  },
  {
    name: "single-put-ignores-locks",
    bug: "only single-key Gets wait on a key a prepared transaction holds: a single-key Put or Append is applied under the lock, and the transaction's commit (computed from the values voted before it) then overwrites it",
    file: group,
    search: 's.locks.has(c.op.key) && !(bugs.readsSkipLocks && c.op._tag === "Get")',
    replace: 's.locks.has(c.op.key) && c.op._tag === "Get"',
  },
  // Session 12, the blind wave (shard9): written from the code before any test was run against them.
  {
    name: "locks-released-for-written-keys-only",
    bug: "a participant applying a decision releases the transaction's locks on the keys the decision writes, not every key it locked: a transaction's read locks, and every lock of an aborted one, are never released",
    file: group,
    search: "const locks = new Map([...s.locks].filter(([, owner]) => owner !== d.id.client))",
    replace: "const locks = new Map([...s.locks].filter(([k, owner]) => owner !== d.id.client || !d.writes.has(k)))",
  },
  {
    name: "unowned-key-skipped",
    bug: "the coordinator leaves out of the participants the keys whose shard no group owns in its configuration, instead of aborting the attempt: a transaction commits without them, its writes there lost",
    file: group,
    search: "      if (owner === null) placed = false\n      else byGroup.set(owner, [...(byGroup.get(owner) ?? []), key])",
    replace: "      if (owner !== null) byGroup.set(owner, [...(byGroup.get(owner) ?? []), key])",
    equivalent:
      "a master's configuration with a group assigns every shard (placement's quotas sum to the shard count; Move names a joined group), and with none the coordinator is not in it and aborts at once: a key with no owner beside a placed coordinator never occurs (reviewed after the first pass, session 12)",
  },
  {
    name: "second-attempt-prepared-beside-first",
    bug: "a participant does not check that the client has nothing prepared already: a new attempt is prepared while the previous attempt's abort is still on its way, replacing its record, and the earlier attempt's locks are never released",
    file: group,
    search: "const free = !s.draining && !s.prepared.has(p.id.client) && ",
    replace: "const free = !s.draining && ",
  },
  // Session 14, the blind wave (shard9): written from the code before any test was run against them.
  {
    name: "decision-acked-before-logged",
    bug: "a participant's leader acknowledges a Decide as soon as it receives it, before the decision is in its log: the coordinator stops resending it, and if that leader loses its leadership before the Decide commits, the group never learns the decision and keeps the locks for good",
    file: group,
    search: '    const c = bugs.sendCommitBeforeLogging && command._tag === "Vote" ? coordinated(next, command.id) : undefined\n',
    replace:
      '    if (command._tag === "Decide") return { send: [{ to: command.coordinator, message: new DecisionAck({ id: command.id, group }) }], defer: false }\n    const c = bugs.sendCommitBeforeLogging && command._tag === "Vote" ? coordinated(next, command.id) : undefined\n',
  },
  {
    name: "prepared-record-kept",
    bug: "a participant applying a decision releases the transaction's locks but does not remove its prepared record: the client's next transaction is refused there (one prepared per client), and the group, which holds configurations back while anything is prepared, never applies another",
    file: group,
    search: "    rest.delete(d.id.client)\n",
    replace: "",
  },
  {
    name: "read-only-participants-skipped",
    bug: "the coordinator makes only the owners of the keys a transaction writes its participants (readers need no commit): keys it only reads are neither locked nor voted on, so their reads come out absent, and a read-only transaction has no participant to decide it",
    file: group,
    search: "    for (const key of keysOf(r.steps)) {\n",
    replace: "    for (const key of writtenKeys(r.steps)) {\n",
  },
  {
    name: "first-ack-marks-all",
    bug: "the coordinator takes the first DecisionAck for the end of the transaction and marks every participant as having acknowledged: a participant that missed the Decide is never sent it again and keeps its locks",
    file: group,
    search: "setRecord(s, new Coordinated({ ...c, acked: [...c.acked, a.group].sort() }))",
    replace: "setRecord(s, new Coordinated({ ...c, acked: c.participants.map((p) => p.group) }))",
  },
  // Session 15, the blind wave (shard10): written from the code before any test was run against them.
  {
    name: "refused-prepare-keeps-partial-locks",
    bug: "a participant takes a Prepare's locks key by key and, when one is held by another transaction, votes no without giving back those it already took: the aborted transaction's locks stay (its Decide finds nothing prepared to release), and the keys are blocked for good",
    file: group,
    search: "if (!free) return withState(s, { seen: mark })",
    replace: "if (!free) return withState(s, { seen: mark, locks: new Map([...s.locks, ...locked.filter((k) => !s.locks.has(k)).map((k) => [k, p.id.client] as const)]) })",
  },
  {
    name: "late-vote-redecides",
    bug: "the coordinator records a vote that arrives after it has decided (it only skips a group that already voted) and decides again: a transaction aborted on timeout commits when its last yes vote comes in late, after the abort went out",
    file: group,
    search: 'if (c === undefined || c.decision !== "pending" || c.votes.has(v.group) ||',
    replace: "if (c === undefined || c.votes.has(v.group) ||",
  },
  {
    name: "txn-retry-after-abort-not-armed",
    bug: "after an abort the client asks the master for the latest configuration and counts on its answer to send the next attempt, without setting its back-off timer: when the configuration has not changed the answer sends nothing, and the transaction waits for good",
    file: client,
    search: "        ctx.setTimer(retryAt(next), TXN_BACKOFF[0], TXN_BACKOFF[1])\n        return ask(next, ctx)\n",
    replace: "        return ask(next, ctx)\n",
  },
  // Session 16, blind wave 11.
  {
    name: "reads-from-voted-values",
    bug: "the coordinator takes a committed transaction's reads from the values its participants voted (the store before the transaction), not by running its steps on them: a read that follows the transaction's own write of the key returns the old value",
    file: group,
    search: 'return new Coordinated({ ...c, decision: "commit", reads: [...run(c).output.reads] })',
    replace: 'return new Coordinated({ ...c, decision: "commit", reads: c.steps.flatMap((st) => (st._tag === "TxnRead" ? [[...c.votes.values()].map((v) => v?.get(st.key)).find((x) => x !== undefined) ?? null] : [])) })',
  },
  {
    name: "prepare-checks-some-keys-free",
    bug: "a participant's conflict check asks whether some of the Prepare's keys are free instead of every one (some for every): a transaction overlapping another on one key of two is prepared, takes over the other's lock on it, and both commit",
    file: group,
    search: "locked.every((k) => !s.locks.has(k))",
    replace: "locked.some((k) => !s.locks.has(k))",
  },
  {
    name: "read-only-participant-unlocked",
    bug: "a participant whose keys the transaction only reads takes no locks (2PC's read-only optimisation applied at prepare): it votes the values and holds nothing, so a writer can commit on those keys between this read and the other participants' prepares",
    file: group,
    search: "const locked = bugs.readsSkipLocks ? p.written : p.keys",
    replace: "const locked = bugs.readsSkipLocks || p.written.length === 0 ? p.written : p.keys",
  },
]
