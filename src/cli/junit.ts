/** JUnit XML for CI systems: one testsuite per model, one testcase per named test. */
export interface TestOutcome {
  readonly model: string
  /** The model as given on the command line (a name or a file). */
  readonly ref: string
  readonly test: string
  readonly passed: boolean
  readonly verdict: string
  readonly expected?: string
  readonly property?: string
  readonly detail?: string
  readonly seed?: number
  readonly states?: number
  readonly seconds: number
  readonly traceFile?: string
  readonly replay?: string
  readonly rerun?: string
  readonly error?: string
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")

const failureOf = (o: TestOutcome): string => {
  const message = o.error
    ? `error: ${o.error.split("\n")[0]}`
    : `${o.verdict}${o.property ? ` of ${o.property}` : ""}, expected ${o.expected ?? "no violation"}`
  const body = [
    ...(o.property ? [`property: ${o.property}${o.detail ? ` (${o.detail})` : ""}`] : []),
    ...(o.traceFile ? [`trace: ${o.traceFile}`, `replay: ${o.replay}`] : []),
    ...(o.rerun ? [`re-run: ${o.rerun}`] : []),
    ...(o.error ? [o.error] : []),
  ].join("\n")
  return `      <${o.error ? "error" : "failure"} message="${esc(message)}" type="${esc(o.verdict)}">${esc(body)}</${o.error ? "error" : "failure"}>\n`
}

export const toJUnit = (outcomes: ReadonlyArray<TestOutcome>, seconds: number): string => {
  const byModel = new Map<string, TestOutcome[]>()
  for (const o of outcomes) byModel.set(o.model, [...(byModel.get(o.model) ?? []), o])
  const count = (os: ReadonlyArray<TestOutcome>, kind: "failure" | "error") => os.filter((o) => !o.passed && (kind === "error") === (o.error !== undefined)).length
  const suites = [...byModel].map(([model, os]) => {
    const time = os.reduce((t, o) => t + o.seconds, 0)
    const cases = os
      .map((o) => {
        const props = `      <system-out>${esc(`verdict ${o.verdict}${o.seed !== undefined ? `, seed ${o.seed}` : ""}${o.states !== undefined ? `, ${o.states} states` : ""}`)}</system-out>\n`
        return `    <testcase classname="${esc(`tla-ts.${model}`)}" name="${esc(o.test)}" time="${o.seconds.toFixed(3)}">\n${o.passed ? "" : failureOf(o)}${props}    </testcase>\n`
      })
      .join("")
    return `  <testsuite name="${esc(model)}" tests="${os.length}" failures="${count(os, "failure")}" errors="${count(os, "error")}" skipped="0" time="${time.toFixed(3)}">\n${cases}  </testsuite>\n`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tla-ts" tests="${outcomes.length}" failures="${count(outcomes, "failure")}" errors="${count(outcomes, "error")}" time="${seconds.toFixed(3)}">\n${suites.join("")}</testsuites>\n`
}
