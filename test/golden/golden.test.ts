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
      // The first command whose output differs, shown alone; then the file as a whole (its layout).
      const first = result.mismatches[0]
      if (first) t.is(first.actual, first.expected, `${protocol}/${file}:${first.line} "${first.command}" (${result.mismatches.length} command(s) differ; rewrite with TLA_TS_REWRITE=1)`)
      else t.is(result.rendered, text, `${protocol}/${file}: layout differs (rewrite with TLA_TS_REWRITE=1)`)
    })
