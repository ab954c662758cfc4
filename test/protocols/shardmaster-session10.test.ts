/**
 * The shard master's application searched exhaustively (app-exhaustive) reports a command it throws on
 * as a violation with its trace (ApplicationNeverThrows), not as an error with none: a Move that does
 * not check its group has joined reads the latest configuration before any Join (the session 10
 * mutant move-to-unknown-group, bench/mutants/shardmaster).
 */
import test from "ava"
import { bfs } from "../../src/checker/explore.ts"
import { shardMasterSystem } from "../../src/protocols/shardmaster/system.ts"
import { labelsOf } from "../helpers.ts"

const options = { shards: 3, groups: [1, 2, 3].map((id) => ({ id, servers: [`g${id}s1`] })), maxConfigs: 4 }

test("planted: a Move that reads the latest configuration unchecked throws before any Join; ApplicationNeverThrows fails at the first step", (t) => {
  const system = shardMasterSystem({
    ...options,
    plant: (app) => ({
      ...app,
      execute: (s, c) => {
        if (c._tag === "Move" && s.configs.length === 0) throw new TypeError("Cannot read properties of undefined (reading 'shards')")
        return app.execute(s, c)
      },
    }),
  })
  const r = bfs(system)
  t.like(r, { verdict: "violation", property: "ApplicationNeverThrows" })
  const labels = labelsOf(r.path)
  t.is(labels.length, 1)
  t.regex(labels[0]!, /^Move.*throws: Cannot read/)
})
