/**
 * Realistic exactly-once RPC and ping-pong bugs, each a small edit of the at-most-once wrapper
 * (src/core/application.ts, what the clientserver model's server runs), the exactly-once client, or
 * src/protocols/pingpong/*.ts (see ../mutant.ts). Written from the code, before running any test.
 */
import type { Mutant } from "../mutant.ts"

const amo = "src/core/application.ts"
const ping = "src/protocols/pingpong/client.ts"
const eo = "src/core/exactly-once.ts"

const one = (name: string, description: string, file: string, search: string, replace: string): Mutant => ({ name, description, edits: [{ file, search, replace }] })

export const CLIENTSERVER_MUTANTS: ReadonlyArray<Mutant> = [
  {
    name: "dedup-by-seq",
    description: "the dedup table is keyed by the sequence number alone, not the client: two clients' commands with the same number are taken for one",
    edits: [
      { file: amo, search: "    const last = s.last.get(c.client)\n    return last", replace: "    const last = s.last.get(String(c.seq))\n    return last" },
      { file: amo, search: "const last = s.last.get(c.client)!", replace: "const last = s.last.get(String(c.seq))!" },
      { file: amo, search: "setIn(s.last, c.client, r)", replace: "setIn(s.last, String(c.seq), r)" },
    ],
  },
  one("result-not-cached", "a retry of the last executed command is recognised but not answered (the result is not kept for it)", amo, "return [last.seq === c.seq ? last : undefined, s]", "return [undefined, s]"),
  one("retry-reexecutes", "the dedup check lets the same sequence number through (> for >=): a retried command is executed again", amo, "return last !== undefined && last.seq >= c.seq", "return last !== undefined && last.seq > c.seq"),
  one("older-request-executed", "the dedup check catches only a retry of the last command (=== for >=): a delayed copy of an older command is executed after a newer one", amo, "return last !== undefined && last.seq >= c.seq", "return last !== undefined && last.seq === c.seq"),
  // Session 7, a blind wave (written before running any test on them).
  one("result-not-recorded", "the at-most-once wrapper executes a command but does not record its result in the dedup table", amo, "last: setIn(s.last, c.client, r)", "last: s.last"),
  one("client-takes-stale-reply", "the exactly-once client takes any Reply as the answer to its pending command, a late reply to an earlier one too", eo, "if (s.pending === null || m.result.seq !== s.pending.seq) return bump(s, \"duplicates\")", "if (s.pending === null) return bump(s, \"duplicates\")"),
  one("client-timer-not-rearmed", "the exactly-once client resends when its retry timer fires but does not set the timer again: one retry only", eo, "        send(out, ctx)\n        ctx.setTimer(t, CLIENT_RETRY_MILLIS)\n", "        send(out, ctx)\n"),
  // Session 9, a blind wave.
  one("retry-armed-with-previous-seq", "the exactly-once client arms the retry timer of a new command with the previous command's sequence number, so the timer is taken for a stale one and never resends", eo, "        send(out, ctx)\n        arm(seq, ctx)\n", "        send(out, ctx)\n        arm(s.seq, ctx)\n"),
  one("dedup-table-keeps-one-client", "the at-most-once wrapper replaces the whole dedup table with the executing client's entry instead of updating that client's entry, so other clients' retries run again", amo, "last: setIn(s.last, c.client, r)", "last: new Map([[c.client, r]])"),
  // Session 10, a blind wave.
  one("retry-renumbered", "the exactly-once client gives its pending command a new sequence number each time the retry timer fires, so the server takes a retry for a new command", eo, "        const out = leader ? { ...s, target: (s.target! + 1) % list.length } : s\n        send(out, ctx)\n        ctx.setTimer(t, CLIENT_RETRY_MILLIS)\n", "        const out0 = leader ? { ...s, target: (s.target! + 1) % list.length } : s\n        const out = { ...out0, seq: s.seq + 1, pending: new AMOCommand({ command: s.pending.command, client: ctx.self, seq: s.seq + 1 }) }\n        send(out, ctx)\n        ctx.setTimer(new ClientTimer({ seq: out.seq }), CLIENT_RETRY_MILLIS)\n"),
  // Session 12, a blind wave (rpb7; written from exactly-once.ts before running any test on them).
  one("client-completes-twice", "the exactly-once client (broadcast mode) completes its command on the matching reply but does not clear it, so a duplicate of that reply completes it again", eo, "        if (!leader) return { ...s, pending: null }\n", "        if (!leader) return s\n"),
  one("stale-reply-cancels-retry", "the exactly-once client cancels its retry timer on any Reply before checking that it answers the pending command: a late reply to an earlier command stops the retries of the current one, which a lost request then blocks for good", eo, "        if (s.pending === null || m.result.seq !== s.pending.seq) return bump(s, \"duplicates\")\n        ctx.cancelTimer(ClientTimer)\n", "        ctx.cancelTimer(ClientTimer)\n        if (s.pending === null || m.result.seq !== s.pending.seq) return bump(s, \"duplicates\")\n"),
  // Session 15, a blind wave (rpb10; written from exactly-once.ts before running any test on them).
  one("retry-timer-armed-once-per-client", "the exactly-once client arms its retry timer with its first command only, as if one timer served the client for good; a reply cancels it, so every later command has no retry and a lost request or reply blocks the client", eo, "      else {\n        send(out, ctx)\n        arm(seq, ctx)\n      }\n", "      else {\n        send(out, ctx)\n        if (s.seq === 0) arm(seq, ctx)\n      }\n"),
]

export const PINGPONG_MUTANTS: ReadonlyArray<Mutant> = [
  one("pong-matches-any-ping", "the client takes any Pong for the answer to its pending Ping, a late Pong of an earlier Ping too", ping, "if (state.pending === null || pong.value !== state.pending.value) return state", "if (state.pending === null) return state"),
  one("retry-timer-not-rearmed", "the client resends its Ping when the retry timer fires but does not set the timer again: one resend only", ping, "      ctx.send(server, t.ping)\n      ctx.setTimer(t, RETRY_MILLIS)", "      ctx.send(server, t.ping)"),
  // Session 7, a blind wave.
  one("pong-completes-twice", "the client completes its Ping on the matching Pong but does not clear it: a duplicate Pong completes it again", ping, "      ctx.complete(pong)\n      return { pending: null }", "      ctx.complete(pong)\n      return state"),
  // Session 10, a blind wave.
  one("ping-not-recorded", "the client sends its Ping but does not record it as pending, so no Pong ever matches it", ping, "    ctx.send(server, ping)\n    if (!options.bugNoRetry) ctx.setTimer(new PingTimer({ ping }), RETRY_MILLIS)\n    return { pending: ping }", "    ctx.send(server, ping)\n    if (!options.bugNoRetry) ctx.setTimer(new PingTimer({ ping }), RETRY_MILLIS)\n    return _state"),
]
