/**
 * The package's root folder, from sources (src/...) or from the build (dist/src/...) alike: a path
 * relative to import.meta.url that leaves src/ differs by one level between the two, so code that
 * needs a file outside src/ (bin/, templates/, package.json) resolves it from here.
 */
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const find = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir)
    if (up === dir) throw new Error("tla-ts: cannot find the package's package.json")
    dir = up
  }
  return dir
}

export const PACKAGE_ROOT: string = find()

export const fromPackageRoot = (...segments: string[]): string => join(PACKAGE_ROOT, ...segments)
