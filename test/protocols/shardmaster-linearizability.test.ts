/** Shard master histories from concurrent clients, checked against the application as a sequential model. */
import test from "ava"
import { checkHistory } from "../../src/linearizability/check.ts"
import type { Operation } from "../../src/linearizability/history.ts"
import { shardMaster } from "../../src/protocols/shardmaster/config.ts"
import { shardMasterLinearizability } from "../../src/protocols/shardmaster/linearizability.ts"
import { join, leave, NoConfiguration, Ok, query, Rejected, type ShardMasterCommand, type ShardMasterResult } from "../../src/protocols/shardmaster/messages.ts"

const model = shardMasterLinearizability(4)
const op = (client: number, call: number, ret: number | null, input: ShardMasterCommand, output: ShardMasterResult | null): Operation<ShardMasterCommand, ShardMasterResult> => ({ client, call, return: ret, input, output })
const app = shardMaster({ shards: 4 })
const after = (...commands: ShardMasterCommand[]) => commands.reduce((s, c) => app.execute(s, c)[1], app.init())

test("concurrent joins: either order explains the results; a query sees the configuration of one order", (t) => {
  const two = after(join(2, ["b"]), join(1, ["a"]))
  const history = [
    op(0, 0, 10, join(1, ["a"]), new Ok({ num: 2 })),
    op(1, 1, 9, join(2, ["b"]), new Ok({ num: 1 })),
    op(2, 11, 12, query(), two.configs[1]!),
    op(2, 13, 14, query(0), new Rejected({ reason: "bad-configuration-number", detail: "configurations are numbered from 1, got 0" })),
  ]
  t.is(checkHistory(model, history).verdict, "linearizable")
})

test("two joins both answered Ok(1), or a query that saw nothing after a Join returned: not linearizable", (t) => {
  const bothFirst = [op(0, 0, 10, join(1, ["a"]), new Ok({ num: 1 })), op(1, 1, 9, join(2, ["b"]), new Ok({ num: 1 }))]
  t.is(checkHistory(model, bothFirst).verdict, "not-linearizable")
  const stale = [op(0, 0, 1, join(1, ["a"]), new Ok({ num: 1 })), op(1, 2, 3, query(), new NoConfiguration())]
  t.is(checkHistory(model, stale).verdict, "not-linearizable")
  // The same query concurrent with the Join may see nothing.
  t.is(checkHistory(model, [op(0, 0, 3, join(1, ["a"]), new Ok({ num: 1 })), op(1, 1, 2, query(), new NoConfiguration())]).verdict, "linearizable")
})

test("a Leave that never returned may or may not have happened", (t) => {
  const history = [
    op(0, 0, 1, join(1, ["a"]), new Ok({ num: 1 })),
    op(0, 2, 3, join(2, ["b"]), new Ok({ num: 2 })),
    op(1, 4, null, leave(1), null),
    op(2, 5, 6, query(), after(join(1, ["a"]), join(2, ["b"]), leave(1)).configs[2]!),
  ]
  t.is(checkHistory(model, history).verdict, "linearizable")
})
