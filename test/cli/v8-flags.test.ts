/** bin/tla-ts.js runs the commands that search under the V8 flags of src/checker/v8-flags.ts, unless told otherwise. */
import test from "ava"
import { execFile, execFileSync, spawn } from "node:child_process"
import { join } from "node:path"
import { parallelV8Flags } from "../../src/checker/parallel-v8-flags.ts"
import { v8Flags } from "../../src/checker/v8-flags.ts"
import { BIN, FIXTURES } from "./run-cli.ts"

const MODEL = join(FIXTURES, "exec-argv.ts")

/** The exit code and the flags the model saw, for `node [nodeArgs] bin/tla-ts.js args` under `env`. */
const run = (nodeArgs: string[], args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number; execArgv: string[] }>((resolve) =>
    execFile(process.execPath, [...nodeArgs, BIN, ...args], { timeout: 60_000, env: { ...process.env, TLA_TS_V8_FLAGS: "", ...env } }, (err, _out, stderr) => {
      const line = /^execArgv (.*)$/m.exec(stderr)
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, execArgv: line ? (JSON.parse(line[1]!) as string[]) : [] })
    })
  )

const FLAGS = v8Flags({})

test("check runs under the shipped flags; TLA_TS_V8_FLAGS=off and a flag given to node win", async (t) => {
  t.true(FLAGS.length > 0)
  const shipped = await run([], ["check", MODEL])
  t.is(shipped.code, 0)
  for (const f of FLAGS) t.true(shipped.execArgv.includes(f), f)
  const off = await run([], ["check", MODEL], { TLA_TS_V8_FLAGS: "off" })
  t.is(off.code, 0)
  for (const f of FLAGS) t.false(off.execArgv.includes(f), f)
  // The user's own value of a flag is kept, not doubled by the shipped one.
  const name = FLAGS[0]!.split("=")[0]!
  const own = await run([`${name}=8`], ["check", MODEL])
  t.is(own.code, 0)
  t.deepEqual(own.execArgv.filter((a) => a.startsWith(name)), [`${name}=8`])
})

test("a search on two or more threads adds the worker runs' flags (parallel-v8-flags.json); one thread does not", async (t) => {
  const extra = parallelV8Flags(2, {})
  t.true(extra.length > 0)
  for (const args of [["--workers", "2"], ["--workers=2"]]) {
    const two = await run([], ["check", MODEL, ...args])
    t.is(two.code, 0)
    for (const f of [...FLAGS, ...extra]) t.true(two.execArgv.includes(f), `${args.join(" ")}: ${f}`)
  }
  const one = await run([], ["check", MODEL, "--workers", "1"])
  for (const f of extra) t.false(one.execArgv.includes(f), f)
  const off = await run([], ["check", MODEL, "--workers", "2"], { TLA_TS_V8_FLAGS: "off" })
  for (const f of extra) t.false(off.execArgv.includes(f), f)
})

test("a failing search's exit status comes back through the re-run", async (t) => {
  t.is((await run([], ["check", MODEL, "--param", "nope=1"])).code, 2)
})

test("the re-run ends with its parent, even one killed with SIGKILL (no orphan search)", async (t) => {
  const parent = spawn(process.execPath, [BIN, "check", "paxos", "--test", "hunt-live-any-leader-crash"], { stdio: "ignore", env: { ...process.env, TLA_TS_V8_FLAGS: "" } })
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  let child: number | undefined
  for (let i = 0; i < 100 && child === undefined; i++) {
    await new Promise((r) => setTimeout(r, 100))
    try {
      child = Number(execFileSync("pgrep", ["-P", String(parent.pid)], { encoding: "utf8" }).trim().split("\n")[0])
    } catch {}
  }
  t.truthy(child, "the search runs in a child of the launcher")
  await new Promise((r) => setTimeout(r, 1000)) // well into its search
  parent.kill("SIGKILL")
  for (let i = 0; i < 100 && alive(child!); i++) await new Promise((r) => setTimeout(r, 100))
  const orphan = alive(child!)
  if (orphan) process.kill(child!, "SIGKILL")
  t.false(orphan, "the child ended within 10 s of its parent's SIGKILL")
})
