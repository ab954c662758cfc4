/** The lab scenarios' expected results say what the labs say, read off the application. */
import test from "ava"
import { Configuration, NoConfiguration, Ok, Rejected } from "../../src/protocols/shardmaster/messages.ts"
import { isBalanced, moved } from "../../src/protocols/shardmaster/placement.ts"
import { expectedResults, masterScenarios } from "../../src/protocols/shardmaster/scenarios.ts"

const results = (name: keyof typeof masterScenarios) => expectedResults(masterScenarios[name].clients[0]!)
const configs = (name: keyof typeof masterScenarios) => results(name).filter((r): r is Configuration => r instanceof Configuration)

test("commands return Ok, initial query, bad commands", (t) => {
  t.true(results("commands-return-ok").slice(0, 4).every((r) => r instanceof Ok))
  t.true(results("initial-query").every((r) => r instanceof NoConfiguration))
  t.deepEqual(results("bad-commands").slice(1, 5).map((r) => (r as Rejected).reason), ["already-joined", "unknown-group", "unknown-group", "already-owner"])
})

test("initial config, join and leave balanced, historical queries, move, minimal transfers", (t) => {
  t.deepEqual(configs("initial-config")[0]!.shards, Array(10).fill(1))
  t.deepEqual(configs("join-leave")[0]!.shards, Array(10).fill(4), "only group 4 is left")
  const h = configs("historical-queries")
  t.deepEqual(h.map((c) => c.num), [1, 2, 3, 3])
  const [moved1, rejoined] = configs("move")
  t.is(moved1!.shards[3], 2)
  t.true(isBalanced(rejoined!.shards, [1, 2, 3]))
  const j = configs("minimal-transfers-joins")
  t.deepEqual(j.slice(1).map((c, i) => moved(j[i]!.shards, c.shards)), [3, 2, 2])
  const l = configs("minimal-transfers-leaves")
  t.is(l.length, 2)
})
