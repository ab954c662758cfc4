#!/usr/bin/env node
// Entry point. Runs the built JavaScript (dist/, made by `npm run build`, which `npm ci` runs through
// `prepare`). In a checkout whose TypeScript sources are newer than the build, it runs the sources
// through tsx instead, so an edit is never hidden by a stale build.
import { existsSync, readdirSync, statSync } from "node:fs"

const root = new URL("../", import.meta.url)
const built = new URL("dist/src/cli/main.js", root)

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

let main
if (existsSync(new URL("src/cli/main.ts", root)) && stale()) {
  const { register } = await import("tsx/esm/api")
  register()
  main = (await import(new URL("src/cli/main.ts", root).href)).main
} else main = (await import(built.href)).main
process.exitCode = await main(process.argv.slice(2))
