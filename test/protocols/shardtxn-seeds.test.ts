/**
 * Catches that hold under every seed (`tla-ts test` runs each named test with a fresh seed, so a catch
 * seen under seed 1 only is no catch). Each case runs a named test under the seeds that missed before.
 *
 * bug-no-abort-timeout (a coordinator that waits for a cut-off participant's vote forever) missed
 * under seeds 4 and 8 of 1-12 while both clients started at once: under 8 client2 finished before
 * client1 locked anything, under 4 client1 ran both its transactions on group 1 alone, before group 2
 * joined. The clients now come in one after the other (model.ts cutOffLab).
 *
 * walks-coordinator-leader-crash missed a coordinator whose abort overrides its commit under seed 2:
 * half its walks now crash the leader first. walks-shard-moves started under seed 5 from a state where
 * the transaction had committed (the walks stop there at once) and missed a coordinator counting a
 * late vote of an earlier attempt under seeds 2 and 5: its first stage now ends before any commit, and
 * the walks start from three first stages (shardkv/staged.ts stageStarts).
 */
import test from "ava"
import { explore } from "../../src/checker/explore.ts"
import type { Model } from "../../src/checker/model.ts"
import type { ProtocolState } from "../../src/core/compile.ts"
import { historyOf } from "../../src/core/world.ts"
import { SHARDTXN_TESTS } from "../../src/protocols/shardtxn/model.ts"
import { mutantTree, type Edit } from "./mutant-tree.ts"

const run = (name: keyof typeof SHARDTXN_TESTS, seed: number) => {
  const t = SHARDTXN_TESTS[name]
  return explore(t.build({}, seed), { ...t.options, seed })
}

for (const seed of [4, 8])
  test(`shardtxn bug-no-abort-timeout is caught under seed ${seed} and abort-timeout-partitioned passes`, (t) => {
    const bad = run("bug-no-abort-timeout", seed)
    t.is(bad.verdict, "violation")
    t.is(bad.property, "CLIENT2_DONE_BY_2000")
    const good = run("abort-timeout-partitioned", seed)
    t.is(good.verdict, "goal-found")
    t.is(good.property, "CLIENTS_DONE")
  })

const group = "src/protocols/shardtxn/group.ts"
const mutants: Record<string, Edit> = {
  "abort-overrides-commit": {
    file: group,
    search: 'return c === undefined || c.decision !== "pending" ? s : setRecord(s, new Coordinated({ ...c, decision: "abort" }))',
    replace: 'return c === undefined ? s : setRecord(s, new Coordinated({ ...c, decision: "abort" }))',
  },
  "vote-matched-by-client": { file: group, search: "const c = coordinated(s, v.id)", replace: "const c = s.coordinating.get(v.id.client)" },
}

/** The named test `name` of shardtxn, in a copy of the sources with `mutant` applied, under each of `seeds`. */
const mutated = async (mutant: string, name: string, seeds: ReadonlyArray<number>) => {
  const tree = mutantTree(mutants[mutant]!)
  try {
    const model = (await tree.load<{ shardTxnModel: Model }>("src/protocols/shardtxn/model.ts")).shardTxnModel
    const t = model.tests[name]!
    return seeds.map((seed) => explore(t.build({}, seed), { ...t.options, seed }))
  } finally {
    tree.dispose()
  }
}

test("shardtxn walks-coordinator-leader-crash catches abort-overrides-commit under seed 2", async (t) => {
  const [r] = await mutated("abort-overrides-commit", "walks-coordinator-leader-crash", [2])
  t.is(r!.verdict, "violation")
  t.true(["DecisionFinal", "ReportedCommitFinal"].includes(r!.property!), r!.property)
  t.true(r!.path!.steps.length <= 12, `${r!.path!.steps.length} steps`)
})

test("shardtxn walks-shard-moves starts before any commit under seed 5 and catches vote-matched-by-client under seeds 2 and 5", async (t) => {
  const starts = SHARDTXN_TESTS["walks-shard-moves"].build({}, 5).initial() as ReadonlyArray<ProtocolState>
  t.true(starts.length > 1)
  for (const w of starts) t.false(historyOf(w).some((op) => op.result?._tag === "TxnCommitted"))
  for (const r of await mutated("vote-matched-by-client", "walks-shard-moves", [2, 5])) {
    t.is(r.verdict, "violation")
    t.is(r.property, "YesCountedForItsAttempt")
    t.true(r.path!.steps.length <= 20, `${r.path!.steps.length} steps`)
  }
})
