/** Runs the `tla-ts` command as a user would (node bin/tla-ts.js), bounded in time. */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"

export const BIN = fileURLToPath(new URL("../../bin/tla-ts.js", import.meta.url))
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url))

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (args: ReadonlyArray<string>, cwd: string, timeout = 120_000) =>
  new Promise<CliRun>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    )
  })

export const lastJson = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!)

/** One line on stderr, no stack trace: the shape of every bad-input error. */
export const oneLine = (stderr: string) => stderr.trim().split("\n").length === 1 && !/\n\s+at /.test(stderr)
