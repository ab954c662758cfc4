/**
 * The viewer on a long simulated run: Paxos with 5 servers and 15 clients (20 lifelines), seed 3,
 * 33 operations per client (about 10,400 steps). Prints JSON: time to build the page, its size, and
 * in headless Chromium the time to load it, to step, to jump to the end and to scroll a screen.
 * `npm run bench:viewer` (needs Debian's chromium).
 */
import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { chromium } from "playwright-core"
import { traceFromPath } from "../src/viewer/build.ts"
import { renderPage } from "../src/viewer/page.ts"
import { runTest } from "../src/viewer/registry.ts"

const t0 = performance.now()
const run = await runTest({ model: "paxos", test: "sequential-clients-15", params: { ops: "33" }, seed: 3 })
const checked = performance.now()
const data = traceFromPath(run.system, run.result.path!, { title: "bench", model: "paxos", params: run.params, strategy: "random", verdict: run.result.verdict })
const html = renderPage("trace", "bench", data)
const built = performance.now()
const file = join(tmpdir(), "tla-ts-viewer-bench.html")
writeFileSync(file, html)

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] })
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
const l0 = performance.now()
await page.goto(pathToFileURL(file).href)
await page.waitForSelector(".row")
const loaded = performance.now()
// Time inside the page: a key press to the next painted frame. (Strings, not functions: tsx would
// wrap functions with a helper the page does not have.)
const frame = (key: string): Promise<number> =>
  page.evaluate(`new Promise((resolve) => {
    const s = performance.now()
    dispatchEvent(new KeyboardEvent("keydown", { key: ${JSON.stringify(key)} }))
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - s)))
  })`)
const steps: number[] = []
for (let i = 0; i < 50; i++) steps.push(await frame("j"))
const end = await frame("End")
const home = await frame("Home")
const scroll: number = await page.evaluate(`new Promise((resolve) => {
  const el = document.querySelector(".scroller")
  const s = performance.now()
  let n = 0
  const next = () => {
    el.scrollTop += el.clientHeight
    if (++n < 40) requestAnimationFrame(next)
    else requestAnimationFrame(() => resolve((performance.now() - s) / 40))
  }
  next()
})`)
const rows = await page.locator(".row").count()
await browser.close()
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(
  JSON.stringify({
    steps: data.steps.length,
    lifelines: data.nodes.length,
    messages: data.messages.length,
    checkSeconds: +((checked - t0) / 1000).toFixed(2),
    buildSeconds: +((built - checked) / 1000).toFixed(2),
    htmlMiB: +(html.length / 2 ** 20).toFixed(2),
    loadMs: Math.round(loaded - l0),
    stepMedianMs: +median(steps).toFixed(1),
    stepMaxMs: +Math.max(...steps).toFixed(1),
    jumpToEndMs: +end.toFixed(1),
    jumpToStartMs: +home.toFixed(1),
    scrollScreenMs: +scroll.toFixed(1),
    rowsInPage: rows,
  })
)
