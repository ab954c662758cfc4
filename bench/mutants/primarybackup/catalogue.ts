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
]
