#!/usr/bin/env node
// Entry point. Runs the built JavaScript (dist/, made by `npm run build`, which `npm ci` runs through
// `prepare`). In a checkout whose TypeScript sources are newer than the build, it runs the sources
// through tsx instead, so an edit is never hidden by a stale build.
//
// The commands that search (check, test) run under the V8 flags of src/checker/assets/v8-flags.json
// (a larger young generation: src/checker/v8-flags.ts says why). A heap's young generation is sized
// when node starts, so this re-runs node with the flags, before anything else is loaded, forwarding
// signals and passing the exit status back; a flag given to node (or in NODE_OPTIONS) under the same
// name wins, and TLA_TS_V8_FLAGS=off runs with V8's defaults.
import { spawn } from "node:child_process"
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = new URL("../", import.meta.url)
const built = new URL("dist/src/cli/main.js", root)

const SEARCHES = new Set(["check", "test"])

/** The flags of one of src/checker/assets' flag files (none if neither the sources nor the build has it). */
const flagsOf = (asset) => {
  const file = ["src/", "dist/src/"].map((d) => new URL(`${d}checker/assets/${asset}`, root)).find((f) => existsSync(f))
  return file ? JSON.parse(readFileSync(file, "utf8")).flags : []
}

/** The searching threads the command line asks for (`--workers N`, `--workers=N`); the CLI itself rejects a bad N. */
const workers = (argv) => {
  const i = argv.findIndex((a) => a === "--workers" || a.startsWith("--workers="))
  return i < 0 ? 1 : Number(argv[i] === "--workers" ? argv[i + 1] : argv[i].slice("--workers=".length)) || 1
}

/**
 * The flags still to set: those of v8-flags.json, and for two or more searching threads those of
 * parallel-v8-flags.json (src/checker/parallel-v8-flags.ts says why), not given to node under the same name.
 */
const missingFlags = () => {
  if (process.env.TLA_TS_V8_FLAGS === "off" || !SEARCHES.has(process.argv[2])) return []
  const flags = [...flagsOf("v8-flags.json"), ...(workers(process.argv) >= 2 ? flagsOf("parallel-v8-flags.json") : [])]
  const name = (f) => f.split("=")[0].replaceAll("_", "-")
  const given = new Set([...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].map(name))
  return flags.filter((f) => !given.has(name(f)))
}

/** This command again in a node that has the flags; resolves once it has ended, with its exit status. */
const rerun = (flags) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [...flags, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, TLA_TS_PARENT: String(process.pid) } })
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"]
    for (const s of signals) process.on(s, () => child.kill(s))
    child.on("error", (e) => {
      console.error(`tla-ts: cannot start node with ${flags.join(" ")}: ${e.message} (TLA_TS_V8_FLAGS=off runs without them)`)
      resolve(70)
    })
    child.on("exit", (code, signal) => {
      if (signal) {
        // Ended by a signal: end the same way, so that the caller sees it.
        for (const s of signals) process.removeAllListeners(s)
        process.kill(process.pid, signal)
      }
      resolve(code ?? 1)
    })
  })

const newerThan = (dir, t) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = new URL(e.name + (e.isDirectory() ? "/" : ""), dir)
    if (e.isDirectory() ? newerThan(p, t) : e.name.endsWith(".ts") && statSync(p).mtimeMs > t) return true
  }
  return false
}

const stale = () => {
  if (!existsSync(built)) return true
  const sources = ["src/", "spec/", "proofs/"].map((d) => new URL(d, root)).filter((d) => existsSync(d))
  const t = statSync(built).mtimeMs
  return sources.some((d) => newerThan(d, t))
}

const run = async () => {
  let main
  if (existsSync(new URL("src/cli/main.ts", root)) && stale()) {
    const { register } = await import("tsx/esm/api")
    register()
    main = (await import(new URL("src/cli/main.ts", root).href)).main
  } else main = (await import(built.href)).main
  return main(process.argv.slice(2))
}

// Run by rerun: end with the parent even when it is killed with SIGKILL, rather than search on as an
// orphan. A search is synchronous, so the watch runs in a thread of its own (unref'd: it keeps nothing
// alive) and ends the process once the parent is gone (this process is then re-parented).
if (process.env.TLA_TS_PARENT !== undefined) {
  const { Worker } = await import("node:worker_threads")
  const parent = process.env.TLA_TS_PARENT
  delete process.env.TLA_TS_PARENT
  const watch = `setInterval(() => { if (process.ppid !== ${Number(parent)}) process.kill(process.pid, "SIGKILL") }, 250)`
  new Worker(watch, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 } }).unref()
}

const flags = missingFlags()
process.exitCode = flags.length > 0 ? await rerun(flags) : await run()
