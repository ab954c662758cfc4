/** The explorer in headless Chromium: take events, check from here, open and save traces, replay them. */
import test from "ava"
import { execFile, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Browser, Page } from "playwright-core"
import { startExplorer } from "../../src/viewer/explore-server.ts"
import { Session } from "../../src/viewer/session.ts"
import { launch, SCREENSHOTS } from "./browser.ts"
import { dir, runHere, traceOf } from "./fixtures.ts"

const BIN = fileURLToPath(new URL("../../bin/tla-ts.js", import.meta.url))
const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [BIN, ...args], { cwd: dir }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }))
  )

let browser: Browser
test.before(async () => {
  browser = await launch()
})
test.after.always(async () => {
  await browser?.close()
})

const TEST = "bug-commit-without-all-prepared"
const explorer = async () => startExplorer(await Session.open({ model: "twophase", test: TEST, params: {}, seed: 0 }), 0)
const shot = (page: Page, name: string) => page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname })
const take = async (page: Page, label: string) => {
  const steps = Number(await page.locator(".row").last().getAttribute("data-step"))
  await page.locator("#enabled .event", { hasText: label }).first().click()
  await page.waitForFunction((n) => document.querySelector("#enabled .head")?.textContent?.includes(`at step ${n}`), steps + 1)
}
const pathOf = (page: Page): string[] => JSON.parse(new URLSearchParams(new URL(page.url()).hash.slice(1)).get("path") ?? "[]")

test("take events, check from here, jump to the counterexample, save it, and tla-ts replay reproduces it", async (t) => {
  const ex = await explorer()
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
  try {
    await page.goto(ex.url)
    await page.waitForSelector("#enabled .event")
    t.is(await page.locator("#enabled .event").count(), 7, "initially: TMAbort, and each RM may prepare or abort")
    await take(page, "RMPrepare(r1)")
    await take(page, "TMRcvPrepared(r1)")
    t.deepEqual(pathOf(page), ["RMPrepare(r1)", "TMRcvPrepared(r1)"], "the path is in the URL as event labels")
    t.regex((await page.textContent("#properties")) ?? "", /TCConsistent\s*invariant\s*holds/)
    // The planted bug lets the TM commit now; the explorer marks that no invariant breaks yet.
    t.true((await page.locator("#enabled .event", { hasText: "TMCommit" }).count()) === 1)
    await shot(page, "explore-twophase-step2")
    // Go back and take another branch: the tree keeps both.
    await page.click("#back")
    await page.waitForFunction(() => document.querySelector("#enabled .head")?.textContent?.includes("at step 1"))
    await take(page, "RMChooseToAbort(r2)")
    t.is(await page.locator("#tree li").count(), 4, "init, RMPrepare(r1), and its two branches")
    await page.locator("#tree li a", { hasText: "TMRcvPrepared(r1)" }).click()
    await page.waitForFunction(() => document.querySelector("#enabled .head")?.textContent?.includes("at step 2"))
    t.deepEqual(pathOf(page), ["RMPrepare(r1)", "TMRcvPrepared(r1)"])
    // Check from here: BFS finds the shortest way on to a violation.
    await page.click("#run-check")
    await page.waitForSelector("#show-found", { timeout: 60_000 })
    t.regex((await page.textContent("#check-status")) ?? "", /violation TCConsistent/)
    await page.click("#show-found")
    await page.waitForFunction(() => document.querySelector("#properties")?.textContent?.includes("violated"))
    const path = pathOf(page)
    t.deepEqual(path.slice(0, 2), ["RMPrepare(r1)", "TMRcvPrepared(r1)"])
    t.true(path.includes("TMCommit"))
    t.regex((await page.textContent("#properties")) ?? "", /TCConsistent\s*invariant\s*violated/)
    await shot(page, "explore-twophase-counterexample")
    // Save the path and replay it with the command line.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")])
    const saved = join(dir, "explored.trace.json")
    await download.saveAs(saved)
    t.deepEqual(JSON.parse(readFileSync(saved, "utf8")).steps, path)
    const r = await run(["replay", saved])
    t.is(r.code, 1, r.stderr)
    t.regex(r.stdout, /violation TCConsistent at step \d+/)
    t.regex(r.stdout, /reproduced: the trace gives the recorded result/)
  } finally {
    await page.close()
    await ex.close()
  }
})

test("open a trace file and continue from one of its steps", async (t) => {
  const { file, trace } = await traceOf("twophase", TEST)
  const ex = await explorer()
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  try {
    await page.goto(ex.url)
    await page.waitForSelector("#enabled .event")
    await page.setInputFiles("#open", file)
    await page.waitForFunction((n) => document.querySelector("#enabled .head")?.textContent?.includes(`at step ${n}`), trace.steps.length)
    t.deepEqual(pathOf(page), trace.steps)
    t.regex((await page.textContent("#properties")) ?? "", /violated/)
    // Look at step 2, then continue from there with another event.
    await page.click('.row[data-step="2"]')
    await page.click("#go-back")
    await page.waitForFunction(() => document.querySelector("#enabled .head")?.textContent?.includes("at step 2"))
    t.deepEqual(pathOf(page), trace.steps.slice(0, 2))
    await take(page, "TMAbort")
    t.deepEqual(pathOf(page), [...trace.steps.slice(0, 2), "TMAbort"])
    // A trace of another model is refused with a clear message.
    const other = await traceOf("clientserver", "bug-execute-retries")
    await page.setInputFiles("#open", other.file)
    await page.waitForSelector("#error")
    t.regex((await page.textContent("#error")) ?? "", /this trace is of clientserver --test bug-execute-retries/)
  } finally {
    await page.close()
    await ex.close()
  }
})

test.serial("tla-ts explore serves on loopback; an unknown model, a bad port or a port in use is one line and exit 2", async (t) => {
  const busy = createServer()
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve))
  const port = (busy.address() as { port: number }).port
  try {
    const cases: Array<[string[], RegExp]> = [
      [["explore", "nosuchmodel"], /unknown model "nosuchmodel"/],
      [["explore", "twophase", "--test", "nosuchtest"], /has no test "nosuchtest"/],
      [["explore", "twophase", "--port", "http"], /--port must be a non-negative whole number/],
      [["explore", "twophase", "--port", "70000"], /--port must be at most 65535/],
      [["explore", "twophase", "--port", String(port)], new RegExp(`port ${port} is in use on 127\\.0\\.0\\.1`)],
    ]
    const results = []
    for (const [args] of cases) results.push(await runHere(args))
    for (const [k, [args, message]] of cases.entries()) {
      t.is(results[k]!.code, 2, args.join(" "))
      t.regex(results[k]!.stderr, message)
      t.is(results[k]!.stderr.trim().split("\n").length, 1, results[k]!.stderr)
    }
  } finally {
    busy.close()
  }
  // The command itself: serves the page, stops on SIGTERM with exit 0.
  const child = spawn(process.execPath, [BIN, "explore", "twophase", "--port", "0"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ""
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString()
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
        if (m) resolve(m[1]!)
      })
      child.on("exit", (code) => reject(new Error(`explore exited with ${code}`)))
      setTimeout(() => reject(new Error("explore did not start within 30 s")), 30_000)
    })
    const html = await (await fetch(url)).text()
    t.true(html.includes("<title>explore twophase</title>"))
    const api = await (await fetch(new URL("/api/path", url), { method: "POST", body: JSON.stringify({ initial: 0, labels: ["TMAbort"] }) })).json()
    t.is(api.trace.steps.length, 1)
    const bad = await fetch(new URL("/api/path", url), { method: "POST", body: "{nope" })
    t.is(bad.status, 400)
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve))
    child.kill("SIGTERM")
    t.is(await exited, 0)
  }
})
