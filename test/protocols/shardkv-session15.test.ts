/**
 * Session 15's atomic-group checks (issue 14), each shown catching a blind mutant of session 14's wave
 * (bench/mutants/shardkv/catalogue.ts, restated) with a short trace, from a mutated copy of the sources
 * (mutant-tree.ts). Before, groups-moves caught both only once a stale value showed: 14 and 17 steps
 * (bench/mutants/shard-session14.json).
 *
 * - AnsweredByOwner (follows-config.ts): get-served-from-outgoing-shard (Gets answered from a shard on
 *   its way out) breaks it in groups-reads, whose first client reads "b" before writing it, at the first
 *   Get that reaches group 1 after it gave shard 1 away (5 steps).
 * - ShardsFollowConfiguration (follows-config.ts): acked-shard-parked-not-deleted (an acknowledged shard
 *   kept as parked) breaks it once the acknowledgement is applied while group 2 owns the shard (8 steps).
 *
 * Both searches are complete BFS, seed-free. That the shipped groups pass groups-reads is checked below.
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import { SHARDKV_TESTS } from "../../src/protocols/shardkv/model.ts"
import { type Edit, shortTraceTests } from "./mutant-tree.ts"

const group = "src/protocols/shardkv/group.ts"
const MUTANTS: Record<string, Edit> = {
  "get-served-from-outgoing-shard": {
    file: group,
    search: '    if (decision === "wrong-group") return [new WrongGroup({ shard, num: num(s) }), s]\n',
    replace:
      '    if (decision === "wrong-group") {\n      const out = s.shards.get(shard)\n      if (r.op._tag === "Get" && out?._tag === "Sending") return [kvStore.execute(out.data.kv, r.op)[0], s]\n      return [new WrongGroup({ shard, num: num(s) }), s]\n    }\n',
  },
  "acked-shard-parked-not-deleted": {
    file: group,
    search: "options.bugKeepHandedOff ? new Sending({ to: null, num: -a.num, data: held.data }) : undefined)]",
    replace: "options.bugKeepHandedOff ? new Sending({ to: null, num: -a.num, data: held.data }) : new Sending({ to: null, num: a.num, data: held.data }))]",
  },
}

shortTraceTests("shardkv", "src/protocols/shardkv/model.ts", "shardKvModel", MUTANTS, [
  { name: "groups-reads", mutant: "get-served-from-outgoing-shard", property: "AnsweredByOwner", steps: 5 },
  { name: "groups-moves", mutant: "acked-shard-parked-not-deleted", property: "ShardsFollowConfiguration", steps: 8 },
])

test("shardkv groups-reads: the shipped groups pass it (complete)", (t) => {
  const r = explore(SHARDKV_TESTS["groups-reads"].build(), { strategy: "bfs" })
  t.is(r.verdict, "ok")
  t.is(r.distinct, 1_718)
})
