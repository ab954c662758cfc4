/**
 * Realistic bugs of the shard master's application (Join, Leave, Move, Query and placement), each a
 * small edit of one file of src/protocols/shardmaster/ (see ../mutant.ts). Written from the code
 * before any test was run against them; run by run-raft.ts --protocol shardmaster over the master's
 * named tests (the sharded store's catalogue, bench/mutants/shardkv, also runs them).
 */
import type { FileMutant as Mutant } from "../mutant.ts"

const config = "src/protocols/shardmaster/config.ts"
const placement = "src/protocols/shardmaster/placement.ts"

export const SHARDMASTER_MUTANTS: ReadonlyArray<Mutant> = [
  // Session 9, the blind wave.
  {
    name: "rejoin-accepted",
    bug: "Join does not reject a group that has already joined: the configuration lists the group twice and placement counts it twice",
    file: config,
    search: '        if (known(c.group)) return [reject("already-joined", `group ${c.group} has already joined`), s]\n',
    replace: "",
  },
  {
    name: "quota-off-by-one",
    bug: "placement gives the ceil quota to one group too many (<= for <): with n divisible by g a group is promised a shard more than its share, and another is left one short",
    file: placement,
    search: "base + (i < extra && !options.bugFillToFloor ? 1 : 0)",
    replace: "base + (i <= extra && !options.bugFillToFloor ? 1 : 0)",
  },
  {
    name: "join-groups-unsorted",
    bug: "Join appends the new group without keeping the groups in id order, which placement's tie-breaking (and every replica's agreement on it) relies on",
    file: config,
    search: ".sort((a, b) => a.id - b.id)",
    replace: "",
  },
  // Session 10, the blind wave: written from the code before any test was run against them.
  {
    name: "move-to-unknown-group",
    bug: "Move does not check that the group has joined: a shard is given to a group the configuration has no servers for",
    file: config,
    search: '        if (!known(c.group)) return [reject("unknown-group", `group ${c.group} has not joined`), s]\n        if (current!.shards[c.shard]',
    replace: "        if (current!.shards[c.shard]",
  },
  {
    name: "placement-extra-by-id",
    bug: "placement gives the remainder (ceil quotas) to the groups with the smallest ids, not to those holding the most shards: balanced, but a rebalance moves more shards than it needs",
    file: placement,
    search: "const byHolding = [...groups].sort((a, b) => held.get(b)!.length - held.get(a)!.length || a - b)",
    replace: "const byHolding = [...groups].sort((a, b) => a - b)",
  },
  {
    name: "move-aliases-previous-configuration",
    bug: "Move edits the current configuration's shard array in place and uses it for the next one: the earlier configuration (kept for Query(n)) changes with it",
    file: config,
    search: "return next(s, current!.shards.map((g, shard) => (shard === c.shard ? c.group : g)), groups)",
    replace: "const owners = current!.shards as Array<GroupId | null>\n        owners[c.shard] = c.group\n        return next(s, owners, groups)",
  },
  // Session 12, the blind wave (shard9): written from the code before any test was run against them.
  {
    name: "placement-from-scratch",
    bug: "Join and Leave place the shards from nothing (every shard unassigned) instead of from the latest configuration's owners: balanced, but almost every shard moves at each change",
    file: config,
    search: "rebalance(latest(s)?.shards ?? Array<null>(shards).fill(null), ",
    replace: "rebalance(Array<null>(shards).fill(null), ",
  },
  {
    name: "quota-ceil-base",
    bug: "placement's base quota is ceil(n/g) instead of floor(n/g): the first groups take more than their share and the last ones too few (or none), unbalanced",
    file: placement,
    search: "const base = Math.floor(owners.length / groups.length)",
    replace: "const base = Math.ceil(owners.length / groups.length)",
  },
  // Session 14, the blind wave (shard9): written from the code before any test was run against them.
  {
    name: "leave-keeps-group-listed",
    bug: "Leave rebalances the departing group's shards onto the others but the new configuration still lists the group among its groups: a later Join of it is rejected as already joined, and a second Leave of it is accepted",
    file: config,
    search: "        return placed(s, groups.filter((g) => g.id !== c.group), { bugFillToFloor: bugLeaveUnassigned })\n",
    replace: "        return next(s, rebalance(current!.shards, groups.filter((g) => g.id !== c.group).map((g) => g.id), { bugFillToFloor: bugLeaveUnassigned }), groups)\n",
  },
  {
    name: "keep-base-quota-only",
    bug: "placement lets each group keep only the base quota floor(n/g) of its shards, not its own quota: a group entitled to ceil(n/g) gives one up and then gets some other freed shard back, so a rebalance moves more shards than it needs (still balanced)",
    file: placement,
    search: "  for (const id of groups) free.push(...held.get(id)!.splice(quota.get(id)!))\n",
    replace: "  for (const id of groups) free.push(...held.get(id)!.splice(base))\n",
  },
  // Session 15, the blind wave (shard10): written from the code before any test was run against them.
  {
    name: "query-served-without-confirmation",
    bug: "the master's leader answers a Query from its applied state at once (a Query changes nothing, so why log it or confirm leadership): a deposed leader, or a new one that has not yet applied its predecessor's committed Join, answers an older configuration than one a client has already been told exists",
    file: "src/core/replicated-service.ts",
    search: "        // A leader-confirmed read; when the log cannot serve one now, the command goes through the log.\n        const reading = app.readOnly?.(c.command)",
    replace:
      "        if (app.readOnly?.(c.command)) {\n          ctx.send(from, new Reply({ result: new AMOResult({ result: app.execute(s.app.app, c.command)[0], client: c.client, seq: c.seq }) }))\n          return s\n        }\n        // A leader-confirmed read; when the log cannot serve one now, the command goes through the log.\n        const reading = app.readOnly?.(c.command)",
  },
  {
    name: "move-to-owner-accepted",
    bug: "Move does not reject a move of a shard to the group that already owns it: it creates a new configuration identical to the last, which every group must poll, apply and settle for nothing, and which the specification rejects",
    file: config,
    search: '        if (current!.shards[c.shard] === c.group) return [reject("already-owner", `group ${c.group} already owns shard ${c.shard}`), s]\n',
    replace: "",
  },
  {
    name: "move-shard-bound-off-by-one",
    bug: "Move checks the shard number against the number of shards with > instead of >=: Move(n) is accepted and the configuration gets an owner for a shard that does not exist (n + 1 entries)",
    file: config,
    search: "if (c.shard < 0 || c.shard >= shards)",
    replace: "if (c.shard < 0 || c.shard > shards)",
  },
  // Session 16, blind wave 11.
  {
    name: "at-least-one-shard-each",
    bug: "placement gives every group a quota of at least one shard (max(1, floor(n/g))), as if no group should sit idle: with more groups than shards the quotas add up to more than the shards, a group holding two keeps both while others get none, and the configuration is unbalanced",
    file: placement,
    search: "const base = Math.floor(owners.length / groups.length)",
    replace: "const base = Math.max(1, Math.floor(owners.length / groups.length))",
  },
  {
    name: "leave-rebalances-before-removal",
    bug: "Leave rebalances over the group list it had before removing the leaving group, then drops the group from the list: the shards the leaver owned stay assigned to a group the configuration no longer names",
    file: config,
    search: "        return placed(s, groups.filter((g) => g.id !== c.group), { bugFillToFloor: bugLeaveUnassigned })\n",
    replace: "        return next(s, rebalance(current!.shards, groups.map((g) => g.id), { bugFillToFloor: bugLeaveUnassigned }), groups.filter((g) => g.id !== c.group))\n",
  },
  {
    name: "query-zero-accepted",
    bug: "Query's bound check rejects only negative numbers (< 0 for < 1): Query(0) is taken for a configuration number and answers none (index -1) instead of being rejected",
    file: config,
    search: "if (c.num !== null && c.num < 1) return",
    replace: "if (c.num !== null && c.num < 0) return",
  },
]
