/** The slow named tests of slow-named-tests.ts: their verdict and pinned count, as paxos.test.ts and primarybackup.test.ts check the others'. */
import test from "ava"
import { checkPinned } from "./state-counts.ts"
import { SLOW_NAMED_TESTS } from "./slow-named-tests.ts"
import { explore } from "../../src/checker/explore.ts"
import { paxosModel } from "../../src/protocols/paxos/model.ts"
import { primaryBackupModel } from "../../src/protocols/primarybackup/model.ts"

const SEED = 1
const MODELS = { paxos: paxosModel, primarybackup: primaryBackupModel }

for (const [key, names] of Object.entries(SLOW_NAMED_TESTS) as Array<[keyof typeof MODELS, ReadonlyArray<string>]>)
  for (const name of names) {
    const t = MODELS[key].tests[name]!
    test.serial(`${key} ${name}: ${t.expect}`, (tt) => {
      const r = explore(t.build({}, SEED), { ...t.options, seed: SEED })
      tt.log(`${r.verdict} ${r.property ?? ""} ${r.detail ?? ""} distinct=${r.distinct} depth=${r.depth}`)
      tt.not(t.expect, undefined)
      tt.is(r.verdict, t.expect!)
      checkPinned(tt, `${key}/${name}`, r)
    })
  }
