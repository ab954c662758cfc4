/**
 * Realistic bugs of the sharded store and its shard master, each a small edit of one file of
 * src/protocols/shardkv/ or src/protocols/shardmaster/ (see ../mutant.ts). Written before any test was
 * run against them; bench/mutants/shardkv/before.json records which named tests caught them.
 */
import type { FileMutant as Mutant } from "../mutant.ts"

const group = "src/protocols/shardkv/group.ts"
const server = "src/protocols/shardkv/server.ts"
const client = "src/protocols/shardkv/client.ts"
const config = "src/protocols/shardmaster/config.ts"
const placement = "src/protocols/shardmaster/placement.ts"

export const SHARDKV_MUTANTS: ReadonlyArray<Mutant> = [
  // Shard migration.
  {
    name: "serve-while-handing-off",
    bug: "a group serves a key whose shard it still holds, although its configuration gave the shard away (it checks that it has the data, not that it owns the shard)",
    file: group,
    search: '  if (s.config?.shards[shard] !== s.group) return "wrong-group"\n  return s.shards.get(shard)?._tag === "Serving" ? "serve" : "wait"',
    replace: '  const held = s.shards.get(shard)?._tag\n  if (held === "Serving" || held === "Sending") return "serve"\n  return s.config?.shards[shard] === s.group ? "wait" : "wrong-group"',
  },
  {
    name: "install-shard-twice",
    bug: "a handoff of the group's configuration is installed whenever the group does not send the shard, so a duplicate handoff overwrites a shard already served (and changed since)",
    file: group,
    search: 'if (held?._tag === "Receiving") return [ack, withShard(s, h.shard, new Serving({ data: h.data }))]',
    replace: 'if (held?._tag !== "Sending") return [ack, withShard(s, h.shard, new Serving({ data: h.data }))]',
  },
  {
    name: "install-older-configuration",
    bug: "a handoff from an older configuration is not recognised as stale: a delayed copy is installed into a shard the group now awaits from another group",
    file: group,
    search: "    if (h.num < num(s)) return [ack, s]\n",
    replace: "",
  },
  {
    name: "install-keys-without-dedup",
    bug: "the receiver installs the handed-off keys but starts the shard's exactly-once table afresh",
    file: group,
    search: 'if (held?._tag === "Receiving") return [ack, withShard(s, h.shard, new Serving({ data: h.data }))]',
    replace: 'if (held?._tag === "Receiving") return [ack, withShard(s, h.shard, new Serving({ data: new ShardData({ kv: h.data.kv, replies: new Map() }) }))]',
  },
  {
    name: "ack-not-matched-to-configuration",
    bug: "an acknowledgement deletes the shard being sent without checking its configuration number: a late ack of an earlier move deletes the shard before its current receiver has it",
    file: group,
    search: 'if (held?._tag !== "Sending" || held.num !== a.num || held.to !== a.from)',
    replace: 'if (held?._tag !== "Sending" || held.to === null)',
  },
  {
    name: "receiver-acks-before-commit",
    bug: "the receiving leader acknowledges a handoff as soon as it proposes it, before its log commits it; a leader change can lose the shard the sender then deletes",
    file: server,
    search: "        if (next !== s.app) return propose(s, h, ctx)\n",
    replace:
      "        if (next !== s.app) {\n          ctx.send(from, new HandoffAck({ shard: h.shard, num: h.num, from: options.group }))\n          return propose(s, h, ctx)\n        }\n",
  },
  // Configuration changes.
  {
    name: "next-config-before-handoff-acked",
    bug: "a group moves to the next configuration while a shard it gave away still waits for its receiver's acknowledgement",
    file: group,
    search: '[...s.shards.values()].every((x) => x._tag === "Serving" || (x._tag === "Sending" && x.to === null))',
    replace: '[...s.shards.values()].every((x) => x._tag !== "Receiving")',
  },
  {
    name: "client-no-refresh-on-wrong-group",
    bug: "on ErrWrongGroup the client retries the same group later instead of asking the master for a newer configuration",
    file: client,
    search: 'return [result.num < (s.config?.num ?? 0) ? { kind: "retry-later" } : { kind: "query-master" }, s]',
    replace: 'return [{ kind: "retry-later" }, s]',
  },
  // Exactly-once.
  {
    name: "dedup-keyed-by-key",
    bug: "the shard's exactly-once table is keyed by the operation's key instead of the client",
    file: group,
    search: "    const last = data.replies.get(r.client)\n",
    replace: "    const last = data.replies.get(r.op.key)\n",
  },
  {
    name: "dedup-not-updated-on-append",
    bug: "the exactly-once table records Puts and Gets but not Appends, so a retried Append runs again",
    file: group,
    search: "const replies = new Map(data.replies).set(r.client, new LastReply({ seq: r.seq, result }))",
    replace: 'const replies = r.op._tag === "Append" ? data.replies : new Map(data.replies).set(r.client, new LastReply({ seq: r.seq, result }))',
  },
  // The shard master.
  {
    name: "query-off-by-one",
    bug: "Query(n) indexes the configurations by n instead of n - 1 (Query(n) answers configuration n + 1)",
    file: config,
    search: "num === null || num > s.configs.length ? latest(s) : s.configs[num - 1]",
    replace: "num === null || num >= s.configs.length ? latest(s) : s.configs[num]",
  },
  {
    name: "join-takes-only-free-shards",
    bug: "placement fills groups below their quota only from unassigned shards, never taking shards from groups above it: a Join leaves the new group empty",
    file: placement,
    search: "  for (const id of groups) free.push(...held.get(id)!.splice(quota.get(id)!))\n",
    replace: "",
  },
  {
    name: "move-edits-latest-configuration",
    bug: "Move changes the latest configuration in place (same number) instead of creating the next one",
    file: config,
    search: "return next(s, current!.shards.map((g, shard) => (shard === c.shard ? c.group : g)), groups)",
    replace:
      "return [new Ok({ num: current!.num }), { configs: [...s.configs.slice(0, -1), new Configuration({ num: current!.num, shards: current!.shards.map((g, shard) => (shard === c.shard ? c.group : g)), groups })] }]",
  },
  // Persistence and restart.
  {
    name: "snapshot-not-restored",
    bug: "a restarted group server ignores the snapshot its log restores and replays only the commands after it, from an empty application",
    file: server,
    search: '    if (e._tag === "Restored") return { ...s, app: e.data as A }\n',
    replace: '    if (e._tag === "Restored") return s\n',
  },
  // Session 7, the blind wave: written from the code before any test was run against them.
  {
    name: "handoff-numbered-by-old-configuration",
    bug: "a shard given away is marked Sending with the configuration the group leaves, not the one that moves it: its receiver takes the handoff for a stale copy, acknowledges it without installing it, and the sender deletes the shard",
    file: group,
    search: "new Sending({ to: owner, num: config.num, data: held.data })",
    replace: "new Sending({ to: owner, num: num(s), data: held.data })",
  },
  {
    name: "ack-future-handoff",
    bug: "a receiver still behind the handoff's configuration acknowledges it on receipt (without installing it), so the sender deletes a shard nobody has",
    file: group,
    search: '    if (h.num > num(s)) return [new Ignored({ reason: "handoff-not-yet" }), s]\n',
    replace: "    if (h.num > num(s)) return [ack, s]\n",
  },
  {
    name: "dedup-off-by-one",
    bug: "the exactly-once check treats only older sequence numbers as seen (>= became >): a retry of the operation just executed runs again",
    file: group,
    search: "if (last !== undefined && last.seq >= r.seq)",
    replace: "if (last !== undefined && last.seq > r.seq)",
  },
  {
    name: "client-accepts-stale-reply",
    bug: "the client completes its pending operation with any reply, not checking the sequence number: a late reply to its previous operation completes the current one",
    file: client,
    search: "if (s.pending === null || seq !== s.seq) return [{ kind: \"ignore\" }, s]",
    replace: "if (s.pending === null) return [{ kind: \"ignore\" }, s]",
  },
  {
    name: "placement-extra-to-smallest",
    bug: "placement gives the remainder (ceil quotas) to the groups holding the fewest shards instead of the most, so a rebalance moves more shards than it needs",
    file: placement,
    search: "held.get(b)!.length - held.get(a)!.length || a - b",
    replace: "held.get(a)!.length - held.get(b)!.length || a - b",
  },
  {
    name: "leave-all-keeps-owners",
    bug: "when the last group leaves, placement keeps the previous owners instead of unassigning every shard: the configuration names a group that is gone",
    file: placement,
    search: "if (groups.length === 0) return owners.map(() => null)",
    replace: "if (groups.length === 0) return [...owners]",
  },
  {
    name: "poll-counter-not-persisted",
    bug: "a group server does not persist its poll counter: after a restart its queries reuse sequence numbers the master's exactly-once layer has seen, and it gets stale cached configurations",
    file: server,
    search: "        ctx.persist(polls)\n",
    replace: "",
  },
  {
    name: "get-served-by-leader-alone",
    bug: "a leader answers a Get from its applied state at once, without the log or a leader-confirmed read: a deposed leader serves stale values",
    file: server,
    search: "        const reading = app.readOnly?.(r) ? startRead(handle, log, s, r, ctx) : undefined\n        if (reading) return reading\n",
    replace: "        if (app.readOnly?.(r)) {\n          ctx.send(from, new ShardReply({ seq: r.seq, result: result as ShardReply[\"result\"] }))\n          return s\n        }\n",
  },
  // Session 9, the blind wave: written from the code before any test was run against them.
  {
    name: "config-applied-mid-migration",
    bug: "a group applies the next configuration without waiting for its migration to finish: a shard still awaited (Receiving) that the new configuration gives elsewhere is dropped, and its handoff is then refused",
    file: group,
    search: '    if (!settled(s)) return [new Ignored({ reason: "migration-in-progress" }), s]\n',
    replace: "",
  },
  {
    name: "unowned-shard-dropped",
    bug: "when a configuration gives a shard to no group (every group left), its holder drops the data instead of parking it for the next owner",
    file: group,
    search: "next.set(shard, owner === group ? new Serving({ data: held.data }) : new Sending({ to: owner, num: config.num, data: held.data }))",
    replace: "if (owner !== null) next.set(shard, owner === group ? new Serving({ data: held.data }) : new Sending({ to: owner, num: config.num, data: held.data }))",
  },
  {
    name: "parked-shard-born-empty",
    bug: "a group gaining a shard that no group owned in the previous configuration starts it empty, as with the first configuration, instead of awaiting the data its last holder parked",
    file: group,
    search: "s.config === null || options.bugServeBeforeData",
    replace: "s.config === null || s.config.shards[shard] === null || options.bugServeBeforeData",
  },
  {
    name: "ack-unneeded-handoff",
    bug: "the receiving leader acknowledges every handoff it does not need to propose, not only those its applied state has installed: one it is not ready for (an older configuration) is acknowledged too, and the sender deletes the shard",
    file: server,
    search: 'if (result._tag === "HandoffAck") ctx.send(from, result as HandoffAck)',
    replace: "ctx.send(from, new HandoffAck({ shard: h.shard, num: h.num, from: options.group }))",
  },
  {
    name: "snapshot-slot-off-by-one",
    bug: "a group server labels its snapshot with the slot after the one applied: after a restart from that snapshot the command of the next slot is never applied",
    file: server,
    search: "return snapshotAt(out, e.slot, ctx)",
    replace: "return snapshotAt(out, e.slot + 1, ctx)",
  },
  // Session 10, the blind wave: written from the code before any test was run against them.
  {
    name: "poll-latest-configuration",
    bug: "a group's leader polls the master for its latest configuration instead of the next one: when the master is two or more configurations ahead the group is answered with one it may not skip, and it never reaches the next",
    file: server,
    search: "query(options.bugApplyOutOfOrder ? null : app.configNum(s.app) + 1)",
    replace: "query(null)",
  },
  {
    name: "duplicate-handoff-not-acked",
    bug: "the receiver answers a handoff only while it awaits the shard: a resent copy of one it has installed is ignored, so the acknowledgement its sender waits for (sent only on a resend) never comes and the sender never finishes the migration",
    file: group,
    search: 'return held?._tag === "Serving" ? [ack, s] : [new Ignored({ reason: "not-receiving" }), s]',
    replace: 'return [new Ignored({ reason: "not-receiving" }), s]',
  },
  {
    name: "parked-shard-blocks-configuration",
    bug: "a group counts a parked shard (given to no group once every group left) as a migration in progress: its holder never applies the configuration that gives the shard to a group again",
    file: group,
    search: '[...s.shards.values()].every((x) => x._tag === "Serving" || (x._tag === "Sending" && x.to === null))',
    replace: '[...s.shards.values()].every((x) => x._tag === "Serving")',
  },
  {
    name: "snapshot-before-apply",
    bug: "a group server's snapshot at a slot holds the applied state from before that slot's command: a server restarted from it never applies that command",
    file: server,
    search: "    return snapshotAt(out, e.slot, ctx)\n",
    replace: "    return { ...snapshotAt({ ...out, app: s.app }, e.slot, ctx), app: out.app }\n",
  },
  // Session 12, the blind wave (shard9): written from the code before any test was run against them.
  {
    name: "old-handoff-not-acked",
    bug: "a receiver acknowledges only handoffs of its current configuration: once it has moved on, a resent handoff of an earlier one (its first acknowledgement lost) is ignored, and the sender waits for that acknowledgement for good",
    file: group,
    search: "    if (h.num < num(s)) return [ack, s]\n",
    // As first written (commit be81844) the reason was "handoff-old", not one of IGNORED's: every test that applied it failed
    // its message schema, a catch of the edit, not of the bug (first pass, bench/mutants/shard-session12.json); now a reason the code has.
    replace: '    if (h.num < num(s)) return [new Ignored({ reason: "not-receiving" }), s]\n',
  },
  {
    name: "client-new-seq-on-reroute",
    bug: "a client that learns a newer configuration while an operation is pending re-sends it as a new request (the next sequence number): an Append executed by the shard's old group, whose table moved with the shard, runs a second time at the new one",
    file: client,
    search: "(config.num > (s.config?.num ?? 0) ? { ...s, config } : s)",
    replace: "(config.num > (s.config?.num ?? 0) ? { ...s, config, seq: s.pending === null ? s.seq : s.seq + 1 } : s)",
  },
  {
    name: "restart-without-timers",
    bug: "a group server restarted from its storage does not set its poll and handoff timers again (only init does): once it leads, its group polls no configuration and resends no handoff or transaction message",
    file: server,
    search: "    recover: (durable, ctx) => {\n      startTimers(ctx)\n",
    replace: "    recover: (durable, ctx) => {\n",
  },
  // Session 14, the blind wave (shard9): written from the code before any test was run against them.
  {
    name: "get-served-from-outgoing-shard",
    bug: "a group still answers Gets for a shard it is handing off (its data is frozen there, so reads look safe), though the configuration gave it away: once the new owner has installed it and taken writes, the old group answers stale values until the acknowledgement deletes its copy",
    file: group,
    search: '    if (decision === "wrong-group") return [new WrongGroup({ shard, num: num(s) }), s]\n',
    replace:
      '    if (decision === "wrong-group") {\n      const out = s.shards.get(shard)\n      if (r.op._tag === "Get" && out?._tag === "Sending") return [kvStore.execute(out.data.kv, r.op)[0], s]\n      return [new WrongGroup({ shard, num: num(s) }), s]\n    }\n',
  },
  {
    name: "acked-shard-parked-not-deleted",
    bug: "an acknowledged handoff marks the shard as no longer being sent (to no group) instead of deleting it: the garbage-collected copy stays, counted as parked, and when a later configuration gives the shard back the group serves (or hands on) that stale copy instead of awaiting the current one",
    file: group,
    search: "options.bugKeepHandedOff ? new Sending({ to: null, num: -a.num, data: held.data }) : undefined)]",
    replace: "options.bugKeepHandedOff ? new Sending({ to: null, num: -a.num, data: held.data }) : new Sending({ to: null, num: a.num, data: held.data }))]",
  },
  {
    name: "client-retry-timer-not-rearmed",
    bug: "the client's retry timer resends the pending operation but does not set itself again: each operation is retried once, and when the retry is lost (or answered NotReady) the client waits for good",
    file: client,
    search: "        ctx.setTimer(t, CLIENT_RETRY_MILLIS)\n        return sendOrAsk(s, ctx)\n",
    replace: "        return sendOrAsk(s, ctx)\n",
  },
  {
    name: "ack-applied-without-log",
    bug: "a sending group's leader deletes an acknowledged shard in its own applied state at once, without putting the acknowledgement into its log: its replicas still hold the shard as Sending, so the group's replicas disagree and a later leader resends (or keeps) a shard the old leader dropped",
    file: server,
    search: "(s: S, a: HandoffAck, _from: Address, ctx: SCtx) {\n        if (!log.isLeader(s.log) || app.execute(s.app, a)[1] === s.app) return s\n        return propose(s, a, ctx)\n",
    replace: "(s: S, a: HandoffAck, _from: Address, _ctx: SCtx) {\n        if (!log.isLeader(s.log)) return s\n        const next = app.execute(s.app, a)[1]\n        return next === s.app ? s : { ...s, app: next }\n",
  },
  // Session 15, the blind wave (shard10): written from the code before any test was run against them.
  {
    name: "poll-seq-is-config-number",
    bug: "a group server numbers its queries to the master by the configuration it asks for (it grows anyway, and survives a restart through the log): a poll made before the master has that configuration is answered with the latest, and every later poll for it, with the same number, gets that recorded answer again from the master's exactly-once table, so the group never moves on",
    file: server,
    search: "        const polls = s.polls + 1\n",
    replace: "        const polls = app.configNum(s.app) + 1\n",
  },
  {
    name: "rejoined-group-starts-empty",
    bug: "a group that is not in its previous configuration treats itself as new: the shards its first configuration back in the service gives it are born empty instead of awaited from their holders, so after a Leave and a Join again the keys written meanwhile are lost",
    file: group,
    search: "next.set(shard, s.config === null || options.bugServeBeforeData ? new Serving({ data: emptyShard() }) : new Receiving())",
    replace: "next.set(shard, s.config === null || !s.config.groups.some((g) => g.id === group) || options.bugServeBeforeData ? new Serving({ data: emptyShard() }) : new Receiving())",
  },
  {
    name: "get-skips-reply-table",
    bug: "a Get is not recorded in the shard's exactly-once table (it changes no key, so why remember it): the applied state is unchanged, so the group leader answers a Get at once from its own applied state, without the log or a leadership confirmation, and a deposed leader answers stale values",
    file: group,
    search: "    const [result, kv] = kvStore.execute(data.kv, r.op)\n",
    replace: '    const [result, kv] = kvStore.execute(data.kv, r.op)\n    if (r.op._tag === "Get") return [result, s]\n',
  },
  // Session 16, blind wave 11.
  {
    name: "ack-numbered-by-receiver-configuration",
    bug: "the receiver acknowledges a handoff with the configuration it is at, not the one the handoff belongs to: a resent handoff of an earlier configuration, answered after the receiver moved on, is acknowledged under the newer number, so its sender never matches it (and waits for good) or deletes a later copy of the shard that number names",
    file: group,
    search: "const ack = new HandoffAck({ shard: h.shard, num: h.num, from: group })",
    replace: "const ack = new HandoffAck({ shard: h.shard, num: num(s), from: group })",
  },
  {
    name: "snapshot-installed-only-if-newer-configuration",
    bug: "a group server takes a snapshot its log restores only when it is at a later configuration than the server's applied state (a snapshot of the same configuration looks like nothing new): a follower brought up by its leader's snapshot keeps its older shards and exactly-once tables and applies the commands after the snapshot onto them",
    file: server,
    search: 'if (e._tag === "Restored") return { ...s, app: e.data as A }',
    replace: 'if (e._tag === "Restored") return app.configNum(e.data as A) > app.configNum(s.app) ? { ...s, app: e.data as A } : s',
  },
]
