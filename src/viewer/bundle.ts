/**
 * Builds the browser bundles that pages inline (src/viewer/assets/*.js, committed so `tla-ts view`
 * works offline right after `npm ci`): `npm run build:viewer`. A test checks they are up to date.
 */
import { build } from "esbuild"
import { writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type App, bundleFile } from "./page.ts"

export const APPS: ReadonlyArray<App> = ["trace", "explore"]

/** The bundle of one app, as esbuild makes it (deterministic for the same sources and esbuild). */
export const bundle = async (app: App): Promise<string> => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL(`./app/${app}.tsx`, import.meta.url))],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    write: false,
    logLevel: "silent",
  })
  return out.outputFiles[0]!.text
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const app of APPS) {
    const text = await bundle(app)
    writeFileSync(bundleFile(app), text)
    console.log(`${fileURLToPath(bundleFile(app))}: ${(text.length / 1024).toFixed(1)} KiB`)
  }
}
