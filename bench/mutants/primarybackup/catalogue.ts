/** Realistic primary-backup bugs, each a small edit of src/protocols/primarybackup/*.ts (see ../mutant.ts). */
import type { FileMutant as Mutant } from "../mutant.ts"

const server = "src/protocols/primarybackup/server.ts"
const client = "src/protocols/primarybackup/client.ts"

export const PRIMARYBACKUP_MUTANTS: ReadonlyArray<Mutant> = [
  {
    name: "serve-before-state-transfer",
    bug: "a new primary serves at once, before its new backup has received the state",
    file: server,
    search: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, inflight: null, queue: [], promoted }",
    replace: "const next: ServerState<A> = { ...s, view: v, ready: true, inflight: null, queue: [], promoted }",
  },
  {
    name: "ack-view-before-state-transfer",
    bug: "the primary acknowledges its view before the backup holds the state",
    file: server,
    search: "new Ping({ num: isPrimary(s, ctx.self) && !s.ready ? s.view.num - 1 : s.view.num })",
    replace: "new Ping({ num: s.view.num })",
  },
  {
    name: "view-change-without-ack",
    bug: "the view service moves to the next view without waiting for the primary's acknowledgement",
    file: server,
    search: "if (!s.acked || v.primary === null) return undefined",
    replace: "if (v.primary === null) return undefined",
  },
  {
    name: "promote-idle-server",
    bug: "when the primary dies without a live backup, the view service promotes an idle server",
    file: server,
    search: "if (v.backup === null || !alive.has(v.backup)) return undefined",
    replace: "if (v.backup === null || !alive.has(v.backup)) return idle === null ? undefined : new View({ num: v.num + 1, primary: idle, backup: null })",
  },
  {
    name: "ack-from-any-server",
    bug: "the view service takes a ping with the view's number from any server as the primary's acknowledgement",
    file: server,
    search: "else if (!s.acked && m.num === s.view.num && from === s.view.primary) s = { ...s, acked: true }",
    replace: "else if (!s.acked && m.num === s.view.num) s = { ...s, acked: true }",
  },
  {
    name: "no-forward",
    bug: "the primary executes and answers without forwarding to the backup",
    file: server,
    search: "if (s.view.backup === null) return executeAndReply(s, c, ctx)",
    replace: "return executeAndReply(s, c, ctx)",
  },
  {
    name: "answer-before-backup-ack",
    bug: "the primary forwards to the backup and answers the client without waiting for the backup's ack",
    file: server,
    search: "if (options.bugAnswerBeforeBackup) {",
    replace: "if (true) {",
  },
  {
    name: "backup-ready-without-transfer",
    bug: "a server named backup takes itself as holding the state at once, without waiting for the transfer",
    file: server,
    search: "return { ...s, view: v, ready: false, inflight: null, queue: [] }",
    replace: "return { ...s, view: v, ready: v.backup === ctx.self, inflight: null, queue: [] }",
  },
  {
    name: "forward-any-view",
    bug: "the backup executes forwarded operations of any view (a stale primary's too)",
    file: server,
    search: "if (!isBackup(s, ctx.self) || !s.ready || m.num !== s.view.num || from !== s.view.primary) return s",
    replace: "if (!isBackup(s, ctx.self) || !s.ready) return s",
  },
  {
    name: "forward-before-ready",
    bug: "the backup executes forwarded operations before the state transfer",
    equivalent:
      "a Forward of view v reaches the backup only from the primary of v once it is ready, which it becomes on the StateTransferAck of v, which the backup sends as it installs the transfer; ready never goes back to false within a view (a ViewReply of the same view is ignored, servers do not restart), so a backup not ready in v never sees a Forward of v",
    file: server,
    search: "if (!isBackup(s, ctx.self) || !s.ready || m.num !== s.view.num || from !== s.view.primary) return s",
    replace: "if (!isBackup(s, ctx.self) || m.num !== s.view.num || from !== s.view.primary) return s",
  },
  {
    name: "ack-not-matched",
    bug: "the primary takes any ForwardAck of its view as the ack of the operation in flight",
    file: server,
    search: "if (!isPrimary(s, ctx.self) || c === null || m.num !== s.view.num || m.client !== c.client || m.seq !== c.seq) return s",
    replace: "if (!isPrimary(s, ctx.self) || c === null || m.num !== s.view.num) return s",
  },
  {
    name: "duplicate-transfer-rolls-back",
    bug: "a duplicated state transfer is installed again, rolling back operations forwarded since",
    file: server,
    search: "if (v.num === s.view.num && s.ready) return s\n",
    replace: "",
  },
  {
    name: "old-transfer-accepted",
    bug: "a state transfer of an older view is installed",
    file: server,
    search: "if (v.backup !== ctx.self || v.primary !== from || v.num < s.view.num) return s",
    replace: "if (v.backup !== ctx.self) return s",
  },
  {
    name: "transfer-ack-any-view",
    bug: "the primary takes a StateTransferAck of any view as its backup holding the state",
    file: server,
    search: "if (!isPrimary(s, ctx.self) || s.ready || m.num !== s.view.num) return s",
    replace: "if (!isPrimary(s, ctx.self) || s.ready) return s",
  },
  {
    name: "serve-when-not-primary",
    bug: "a server answers requests whenever it holds the state: an old primary, now the backup, keeps serving clients that have not learnt the new view",
    file: server,
    search: "if (!isPrimary(s, ctx.self) || !s.ready) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s",
    replace: "if (!s.ready) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s",
  },
  {
    name: "queue-drops-ops",
    bug: "an operation that arrives while another is in flight is dropped instead of queued (the client's retry is the only hope)",
    file: server,
    search: "return { ...s, queue: [...s.queue.filter((q) => q.client !== c.client), c] }",
    replace: "return s",
  },
  {
    name: "client-accepts-stale-reply",
    bug: "the client takes any reply as the answer to its pending request",
    file: client,
    search: "if (s.pending === null || m.result.seq !== s.pending.seq) return s",
    replace: "if (s.pending === null) return s",
  },
  {
    name: "ack-ignored-forward",
    bug: "the backup acknowledges a forwarded operation even when it ignores it (not ready, another view)",
    file: server,
    search: "if (!isBackup(s, ctx.self) || !s.ready || m.num !== s.view.num || from !== s.view.primary) return s",
    replace: "if (!isBackup(s, ctx.self) || !s.ready || m.num !== s.view.num || from !== s.view.primary) {\n          ctx.send(from, new ForwardAck({ num: m.num, client: m.command.client, seq: m.command.seq }))\n          return s\n        }",
  },
  // Session 4: five more, written after the tests of the stale-message work and not designed against them.
  {
    name: "viewreply-same-view",
    bug: "a server handles a ViewReply of the view it already has as a new view (< instead of <=): a ready backup forgets it holds the state",
    file: server,
    search: "if (v.num <= s.view.num) return s",
    replace: "if (v.num < s.view.num) return s",
  },
  {
    name: "transfer-without-dedup-table",
    bug: "the state transfer carries the application's state but not the exactly-once table",
    file: server,
    search: "if (!s.ready) ctx.send(s.view.backup, new StateTransfer({ view: s.view, state: s.state }))",
    replace: "if (!s.ready) ctx.send(s.view.backup, new StateTransfer({ view: s.view, state: { app: s.state.app, last: new Map() } }))",
  },
  {
    name: "client-retry-no-getview",
    bug: "a client retries at the primary it knows without asking the view service whether the view changed",
    file: client,
    search: "if (s.primary !== null) ctx.send(viewService, new GetView())\n",
    replace: "",
  },
  {
    name: "idle-may-be-primary",
    bug: "the view service picks the new backup among every live server but the old backup, so the primary may be named its own backup",
    file: server,
    search: "const idle = sorted(alive).find((a) => a !== v.primary && a !== v.backup) ?? null",
    replace: "const idle = sorted(alive).find((a) => a !== v.backup) ?? null",
  },
  {
    name: "backup-no-dedup",
    bug: "the backup executes every forwarded operation, a duplicate Forward included, without the exactly-once check",
    file: server,
    search: "const [, state] = wrapped.execute(s.state, m.command)",
    replace: "const [, state] = amo(app, { bugExecuteRetries: true }).execute(s.state, m.command)",
  },
  // Session 6, a blind wave: written from the sources before running any test on them.
  {
    name: "dead-backup-kept",
    bug: "the view service replaces a dead primary but never a dead backup",
    file: server,
    search: "if (v.backup !== null && !alive.has(v.backup)) return new View",
    replace: "if (false && v.backup !== null && !alive.has(v.backup)) return new View",
  },
  {
    name: "live-forever",
    bug: "the ping check adds the servers that pinged to those live before instead of replacing them: a server once live never dies",
    file: server,
    search: "return advance({ ...s, live: s.pinged, pinged: new Set() }, s.pinged)",
    replace: "return advance({ ...s, live: new Set([...s.live, ...s.pinged]), pinged: new Set() }, new Set([...s.live, ...s.pinged]))",
  },
  {
    name: "queue-drained-once",
    bug: "on a ForwardAck the primary looks at the head of its queue once (if, not while): after an operation already executed, the rest wait",
    equivalent:
      "reviewed after the run: a queued operation is never already executed when dequeued (an executed one is answered at once, never queued; one operation pending per client; the queue is cleared on a view change), so `if` and `while` both forward exactly one queued operation per ForwardAck",
    file: server,
    // As first written (while -> if alone) it did not compile (a `continue` outside a loop); fixed after the first run as a person would.
    search:
      "while (next.queue.length > 0 && next.inflight === null) {\n          const q = next.queue[0]!\n          next = { ...next, queue: next.queue.slice(1) }\n          if (answerIfExecuted(next.state, q, ctx)) continue\n          ctx.send(next.view.backup!, new Forward({ num: next.view.num, command: q }))\n          next = { ...next, inflight: q }\n        }",
    replace:
      "if (next.queue.length > 0 && next.inflight === null) {\n          const q = next.queue[0]!\n          next = { ...next, queue: next.queue.slice(1) }\n          if (!answerIfExecuted(next.state, q, ctx)) {\n            ctx.send(next.view.backup!, new Forward({ num: next.view.num, command: q }))\n            next = { ...next, inflight: q }\n          }\n        }",
  },
  {
    name: "new-primary-keeps-inflight",
    bug: "a server that becomes primary of a new view keeps the operation in flight and the queue of the view before",
    equivalent:
      "judged after the run (session 6b), benign: an operation a primary holds is executed in its state already (forwarded again, answered from the exactly-once table) or still pending at its client (premise HELD_OPS_PENDING_OR_EXECUTED, primarybackup/premises.ts, checked on exhaustive-small, failover-search and the stale-* searches), which re-sends it, and the correct primary takes it in flight on that retry: keeping it only runs ahead of the retry; nothing is forwarded in the new view before its backup holds the state and a ForwardAck counts only in its own view",
    file: server,
    search: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, inflight: null, queue: [], promoted }",
    replace: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, promoted }",
  },
  {
    name: "primary-never-acks",
    bug: "the primary pings with the view before its own (the number it uses while its backup has no state) even when ready, so no view is ever acknowledged",
    file: server,
    search: "new Ping({ num: isPrimary(s, ctx.self) && !s.ready ? s.view.num - 1 : s.view.num })",
    replace: "new Ping({ num: isPrimary(s, ctx.self) ? s.view.num - 1 : s.view.num })",
  },
  {
    name: "client-waits-for-timer",
    bug: "a client that learns a new primary records it but sends nothing until its retry timer fires",
    file: client,
    search: "const next = { ...s, primary: m.view.primary }\n        send(next, ctx)\n",
    replace: "const next = { ...s, primary: m.view.primary }\n",
  },
  // Session 7, a blind wave: written from server.ts and client.ts before running any test on them.
  {
    name: "idle-may-be-backup",
    bug: "the view service picks the new backup among every live server but the primary, so a promoted backup may be named its own backup",
    file: server,
    search: "const idle = sorted(alive).find((a) => a !== v.primary && a !== v.backup) ?? null",
    replace: "const idle = sorted(alive).find((a) => a !== v.primary) ?? null",
  },
  {
    name: "backup-keeps-ready",
    bug: "a server that learns a view in which it is not primary keeps its ready flag: an old primary named backup serves forwards without a state transfer",
    file: server,
    search: "return { ...s, view: v, ready: false, inflight: null, queue: [] }",
    replace: "return { ...s, view: v, ready: s.ready, inflight: null, queue: [] }",
  },
  {
    name: "ack-any-ping-of-primary",
    bug: "the view service takes any ping of the primary as its acknowledgement, whatever view number it carries",
    file: server,
    search: "else if (!s.acked && m.num === s.view.num && from === s.view.primary) s = { ...s, acked: true }",
    replace: "else if (!s.acked && from === s.view.primary) s = { ...s, acked: true }",
  },
  {
    name: "client-retry-once",
    bug: "the client's retry timer resends but is not set again: one retry only",
    file: client,
    search: "if (s.primary !== null) ctx.send(viewService, new GetView())\n        ctx.setTimer(t, CLIENT_RETRY_MILLIS)\n",
    replace: "if (s.primary !== null) ctx.send(viewService, new GetView())\n",
  },
  {
    name: "transfer-acked-unconditionally",
    bug: "the backup acknowledges every StateTransfer before checking that it is for its view, from its primary",
    equivalent:
      "judged after the blind run (not caught): a primary sends StateTransfer only to the backup of its view, so the guard rejects only a transfer of an older view; its ack counts only at a primary still in that view and not ready, but the view service left that view only after its primary acknowledged it, which that primary does only once ready, so the extra ack always meets a primary that ignores it",
    file: server,
    search: "if (v.backup !== ctx.self || v.primary !== from || v.num < s.view.num) return s\n        ctx.send(from, new StateTransferAck({ num: v.num }))\n",
    replace: "ctx.send(from, new StateTransferAck({ num: v.num }))\n        if (v.backup !== ctx.self || v.primary !== from || v.num < s.view.num) return s\n",
  },
  // Session 9, a blind wave (written from server.ts before running any test on them).
  {
    name: "forward-ack-any-view",
    bug: "the primary matches a ForwardAck to its operation in flight by client and sequence number only, not the view: a late ack from the backup of an earlier view completes the operation the new backup has not executed",
    file: server,
    search: "if (!isPrimary(s, ctx.self) || c === null || m.num !== s.view.num || m.client !== c.client || m.seq !== c.seq) return s",
    replace: "if (!isPrimary(s, ctx.self) || c === null || m.client !== c.client || m.seq !== c.seq) return s",
  },
  {
    name: "promote-dead-backup",
    bug: "when the primary dies the view service promotes the backup without checking that the backup is alive, and then waits for its acknowledgement forever",
    file: server,
    search: "if (v.backup === null || !alive.has(v.backup)) return undefined",
    replace: "if (v.backup === null) return undefined",
  },
  {
    name: "forward-not-resent",
    bug: "the primary's timer resends an unacknowledged state transfer but not a forwarded operation: a lost Forward or ForwardAck blocks its client (whose retries are taken as duplicates) for good",
    file: server,
    search: "    else if (s.inflight) ctx.send(s.view.backup, new Forward({ num: s.view.num, command: s.inflight }))\n",
    replace: "",
  },
  {
    name: "backup-keeps-own-dedup-table",
    bug: "a backup installing a state transfer takes the application state but keeps its own exactly-once table instead of the primary's",
    file: server,
    search: "return { ...s, view: v, state: m.state as AMOState<A>, ready: true, inflight: null, queue: [] }",
    replace: "return { ...s, view: v, state: { ...(m.state as AMOState<A>), last: s.state.last }, ready: true, inflight: null, queue: [] }",
  },
  // Session 10, a blind wave (written from server.ts and client.ts before running any test on them).
  {
    name: "backup-ping-acks-view",
    bug: "the view service takes a ping carrying the current view's number from the backup, as well as from the primary, as the view's acknowledgement",
    file: server,
    search: "else if (!s.acked && m.num === s.view.num && from === s.view.primary) s = { ...s, acked: true }",
    replace: "else if (!s.acked && m.num === s.view.num && (from === s.view.primary || from === s.view.backup)) s = { ...s, acked: true }",
  },
  {
    name: "next-view-keeps-ack",
    bug: "the view service moves to the next view without clearing the acknowledgement, so the new view counts as acknowledged before its primary has seen it",
    file: server,
    search: "return v ? { ...s, view: v, acked: false } : s",
    replace: "return v ? { ...s, view: v } : s",
  },
  {
    name: "forward-while-inflight",
    bug: "the primary queues an operation only behind an in-flight one of the same client; another client's operation is forwarded at once and replaces the one in flight",
    file: server,
    search: "        if (s.inflight !== null) {\n",
    replace: "        if (s.inflight !== null && s.inflight.client === c.client) {\n",
  },
  {
    name: "client-retry-new-seq",
    bug: "the client renumbers its pending operation with a new sequence number each time it retries, so the servers take a retry for a new operation",
    file: client,
    search: "        send(s, ctx)\n        if (s.primary !== null) ctx.send(viewService, new GetView())\n        ctx.setTimer(t, CLIENT_RETRY_MILLIS)\n        return s\n",
    replace: "        const seq = s.seq + 1\n        const out = { ...s, seq, pending: new AMOCommand({ command: s.pending.command, client: ctx.self, seq }) }\n        send(out, ctx)\n        if (s.primary !== null) ctx.send(viewService, new GetView())\n        ctx.setTimer(new ClientTimer({ seq }), CLIENT_RETRY_MILLIS)\n        return out\n",
  },
  // Session 11, a blind wave (written from server.ts before running any test on them; kinds the
  // catalogue lacked: a backup refusing the transfer of the view it knows, the view service judging
  // liveness by the pings of the current period alone).
  {
    name: "transfer-refused-in-own-view",
    bug: "the backup refuses a StateTransfer of the view it already knows (<= for <), so a backup that learned its view from the view service first never gets the state",
    file: server,
    search: "if (v.backup !== ctx.self || v.primary !== from || v.num < s.view.num) return s",
    replace: "if (v.backup !== ctx.self || v.primary !== from || v.num <= s.view.num) return s",
  },
  {
    name: "alive-only-this-period",
    bug: "on a ping the view service counts as alive only the servers that pinged since the last ping check, not those that pinged by it, so a live primary may be replaced early in a period",
    file: server,
    search: "s = advance(s, new Set([...s.live, ...s.pinged]))",
    replace: "s = advance(s, s.pinged)",
  },
  // Session 12, a blind wave (rpb7; written from server.ts before running any test on them).
  {
    name: "transfer-of-known-view-ignored",
    bug: "the backup takes a state transfer for the view it already knows for a duplicate and ignores it (after acknowledging it), so a backup that learned its view from the view service first never installs the state",
    file: server,
    search: "if (v.num === s.view.num && s.ready) return s",
    replace: "if (v.num === s.view.num) return s",
  },
  {
    name: "failover-before-ack",
    bug: "the view service waits for the primary's acknowledgement before changing the backup but not before replacing a dead primary, so it promotes the backup of a view the primary never acknowledged (which may not hold the state)",
    file: server,
    search: "  if (!s.acked || v.primary === null) return undefined\n  const idle = sorted(alive).find((a) => a !== v.primary && a !== v.backup) ?? null\n  if (!alive.has(v.primary)) {\n    // Only the backup of an acknowledged view holds the state: without one, wait for the primary.\n    if (v.backup === null || !alive.has(v.backup)) return undefined\n    return new View({ num: v.num + 1, primary: v.backup, backup: idle })\n  }\n",
    replace: "  if (v.primary === null) return undefined\n  const idle = sorted(alive).find((a) => a !== v.primary && a !== v.backup) ?? null\n  if (!alive.has(v.primary)) {\n    // Only the backup of an acknowledged view holds the state: without one, wait for the primary.\n    if (v.backup === null || !alive.has(v.backup)) return undefined\n    return new View({ num: v.num + 1, primary: v.backup, backup: idle })\n  }\n  if (!s.acked) return undefined\n",
  },
  {
    name: "primary-stays-ready-on-new-backup",
    bug: "a primary that stays primary in the next view keeps its ready flag, so it neither sends the state to its new backup nor waits for it before acknowledging the view and forwarding",
    file: server,
    search: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, inflight: null, queue: [], promoted }",
    replace: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null || (s.ready && s.view.primary === ctx.self), inflight: null, queue: [], promoted }",
  },
  {
    name: "inflight-not-cleared-on-ack",
    bug: "on the backup's ack the primary executes and answers the operation in flight but leaves it in flight, so the operations queued behind it are never forwarded",
    file: server,
    search: "let next = executeAndReply({ ...s, inflight: null }, c, ctx)",
    replace: "let next = executeAndReply(s, c, ctx)",
  },
  // Session 13 blind wave (wave 8): written from the sources and committed before any test ran on them.
  {
    name: "new-primary-acks-on-receipt",
    bug: "a server that learns it is the primary of a new view acknowledges it at once, before its new backup has taken the state transfer (only later pings hold the acknowledgement back)",
    file: server,
    search: "          if (next.ready) ping(next, ctx) // nothing to transfer: acknowledge the view right away\n          else resend(next, ctx)\n",
    replace: "          ping({ ...next, ready: true }, ctx) // acknowledge the new view\n          if (!next.ready) resend(next, ctx)\n",
  },
  {
    name: "promoted-backup-keeps-ready",
    bug: "a backup promoted to primary keeps its ready flag (the backup's 'I hold the state') as the primary's 'my backup holds the state': it serves and acknowledges the view before its new backup has the state",
    file: server,
    search: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null, inflight: null, queue: [], promoted }",
    replace: "const next: ServerState<A> = { ...s, view: v, ready: v.backup === null || (s.ready && s.view.backup === ctx.self), inflight: null, queue: [], promoted }",
  },
  // Wave 9 (session 14, rpb9): written from the sources, committed before any test ran on them.
  {
    name: "transfer-installs-state-not-view",
    bug: "a backup installing a state transfer takes the state and marks itself ready but keeps the view it knew, not the transfer's: a backup that had not yet heard of its view from the view service ignores the primary's forwards, and forgets the state when the view service's reply comes",
    file: server,
    search: "return { ...s, view: v, state: m.state as AMOState<A>, ready: true, inflight: null, queue: [] }",
    replace: "return { ...s, state: m.state as AMOState<A>, ready: true, inflight: null, queue: [] }",
  },
  {
    name: "backup-serves-reads",
    bug: "a server that is the backup of its view and holds the state answers read-only requests (Gets) from its own state, as a read-scaling shortcut; unlike serve-when-not-primary it takes no writes and only as the backup, but a backup the view service has replaced still believes it is one",
    file: server,
    search: "        if (!isPrimary(s, ctx.self) || !s.ready) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s\n",
    replace: "        if (isBackup(s, ctx.self) && s.ready && app.readOnly?.(c.command) === true) return executeAndReply(s, c, ctx)\n        if (!isPrimary(s, ctx.self) || !s.ready) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s\n",
  },
  // Wave 10 (session 15, rpb10): written from the sources, committed before any test ran on them.
  {
    name: "backup-change-keeps-view-number",
    bug: "the view service replaces a dead backup without a new view number (the primary stays, so it takes the view for the same one): servers ignore a view whose number they know, so neither the primary nor the new backup learns of it, and the view's acknowledgement is the old one's",
    file: server,
    search: "  if (v.backup !== null && !alive.has(v.backup)) return new View({ num: v.num + 1, primary: v.primary, backup: idle })\n",
    replace: "  if (v.backup !== null && !alive.has(v.backup)) return new View({ num: v.num, primary: v.primary, backup: idle })\n",
  },
  {
    name: "forward-ack-matched-by-seq",
    bug: "the primary matches a ForwardAck to the operation in flight by view and sequence number, not by client: a late ack of another client's operation with the same number completes the one in flight before the backup executed it",
    file: server,
    search: "if (!isPrimary(s, ctx.self) || c === null || m.num !== s.view.num || m.client !== c.client || m.seq !== c.seq) return s",
    replace: "if (!isPrimary(s, ctx.self) || c === null || m.num !== s.view.num || m.seq !== c.seq) return s",
  },
  // Wave 11 (session 16, rpb11): written from the sources, committed before any test ran on them; a
  // state transfer racing a client's write, a transfer never sent again, a view service answering with
  // the view it is leaving.
  {
    name: "primary-serves-alone-during-transfer",
    bug: "a primary whose new backup has not yet taken the state transfer executes clients' operations on its own instead of holding them, so an operation executed after the transfer was sent is missing at the backup once it installs the transfer",
    file: server,
    search: "        if (!isPrimary(s, ctx.self) || !s.ready) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s\n        if (s.view.backup === null) return executeAndReply(s, c, ctx)\n",
    replace: "        if (!isPrimary(s, ctx.self)) return s\n        if (answerIfExecuted(s.state, c, ctx)) return s\n        if (s.view.backup === null || !s.ready) return executeAndReply(s, c, ctx)\n",
  },
  {
    name: "transfer-not-resent",
    bug: "the primary's ping timer re-sends a forwarded operation but not an unacknowledged state transfer: a lost StateTransfer or StateTransferAck leaves the view unacknowledged and the primary not serving for good",
    file: server,
    search: "        ping(s, ctx)\n        resend(s, ctx)\n",
    replace: "        ping(s, ctx)\n        if (s.ready) resend(s, ctx)\n",
  },
  {
    name: "viewreply-before-advance",
    bug: "the view service answers a ping with the view as it stood before the ping was counted (it replies, then moves to the next view), so the server whose ping made the change learns of it only a ping later",
    file: server,
    search: "      s = advance(s, new Set([...s.live, ...s.pinged]))\n      ctx.send(from, new ViewReply({ view: s.view }))\n",
    replace: "      ctx.send(from, new ViewReply({ view: s.view }))\n      s = advance(s, new Set([...s.live, ...s.pinged]))\n",
  },
]
