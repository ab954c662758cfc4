/**
 * Golden interaction files (test/golden/<protocol>/*.txt), etcd-raft style: each command is followed
 * by the diff it causes. `TLA_TS_REWRITE=1 npx ava test/golden/golden.test.ts` rewrites the expected
 * outputs; review the change with `git diff test/golden`.
 */
import test from "ava"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { runScript } from "../../src/core/interaction.ts"
import { setups } from "./setups.ts"

const here = dirname(fileURLToPath(import.meta.url))
const rewrite = process.env.TLA_TS_REWRITE === "1"

for (const [protocol, setup] of Object.entries(setups))
  for (const file of readdirSync(join(here, protocol)).filter((f) => f.endsWith(".txt")).sort())
    test(`golden ${protocol}/${file}`, (t) => {
      const path = join(here, protocol, file)
      const text = readFileSync(path, "utf8")
      const result = runScript(text, setup)
      if (rewrite) {
        if (result.rendered !== text) writeFileSync(path, result.rendered)
        t.pass()
        return
      }
      const first = result.mismatches[0]
      t.is(result.rendered, text, first && `${protocol}/${file}:${first.line} "${first.command}" differs (rewrite with TLA_TS_REWRITE=1)`)
    })
