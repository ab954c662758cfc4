/**
 * `npm run test:slow`: the test files `npm test` leaves out (the negated globs of package.json's
 * ava.files: *.slow.test.ts and the few named there), long runs that would hold `npm test` well past
 * five minutes on two cores; package.json's ava options otherwise, but a longer timeout (ava's is the
 * time without a test finishing: one of these searches alone takes minutes on a busy machine). .ci/run
 * runs them after `npm test` and counts them in its closing line.
 */
import { readFileSync } from "node:fs"

const { ava } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))

export default { ...ava, files: ava.files.filter((g) => g.startsWith("!")).map((g) => g.slice(1)), timeout: "20m" }
