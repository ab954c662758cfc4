/** `tla-ts view TRACE [--out FILE.html] [--open]`: a trace as one self-contained HTML page. */
import { spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { basename } from "node:path"
import { readTraceFile } from "../checker/trace-file.ts"
import { renderPage } from "../viewer/page.ts"
import { traceData } from "../viewer/replay.ts"
import { parse, UsageError, VIEW_USAGE } from "./usage.ts"

/** Opens a file or URL in the desktop's browser, if it has one; never fails the command. */
export const openInBrowser = (target: string): void => {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open"
  const child = spawn(cmd, [target], { stdio: "ignore", detached: true })
  child.on("error", () => console.error(`tla-ts: could not start ${cmd}; open ${target} yourself`))
  child.unref()
}

export const runView = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({ args, allowPositionals: true, options: { out: { type: "string" }, open: { type: "boolean" } } })
  if (positionals.length !== 1) throw new UsageError(`view takes exactly one trace file: ${VIEW_USAGE}`)
  const file = positionals[0]!
  const out = values.out ?? `${file.replace(/\.json$/, "")}.html`
  if (!out.endsWith(".html")) throw new UsageError(`--out must name an .html file, got "${out}"`)
  const trace = readTraceFile(file)
  if (trace.steps.length > 2000) console.log(`replaying ${trace.steps.length.toLocaleString("en")} steps of ${trace.model} to draw them…`)
  const data = await traceData(trace, basename(file))
  writeFileSync(out, renderPage("trace", `${trace.model}${trace.test ? ` ${trace.test}` : ""}: ${trace.property ?? trace.verdict}`, data))
  console.log(`wrote ${out} (${data.steps.length} step${data.steps.length === 1 ? "" : "s"}, ${data.nodes.length} lifelines)`)
  if (values.open) openInBrowser(out)
  return 0
}
