/** Module hooks for register.mjs: `.ts`/`.tsx` files become ES modules through esbuild, all else is Node's. */
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { transformSync } from "esbuild"

const ROOT = fileURLToPath(new URL("../../", import.meta.url))
const TYPESCRIPT = /\.m?tsx?$/
const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"))
const OPTIONS = {
  format: "esm",
  target: `node${process.versions.node}`,
  sourcemap: "inline",
  tsconfigRaw: { compilerOptions },
}
const CACHE = join(ROOT, "node_modules/.cache/tla-ts-test-loader")
// The cache key covers what changes the output: the source, its path (the source map names it), the options, esbuild.
const SALT = JSON.stringify([OPTIONS, readFileSync(join(ROOT, "node_modules/esbuild/package.json"), "utf8")])

const compile = (path, source) => {
  const key = createHash("sha1").update(SALT).update(path).update("\0").update(source).digest("hex")
  const cached = join(CACHE, key.slice(0, 2), `${key}.mjs`)
  try {
    return readFileSync(cached, "utf8")
  } catch {}
  const { code } = transformSync(source, { ...OPTIONS, loader: path.endsWith("x") ? "tsx" : "ts", sourcefile: path })
  try {
    mkdirSync(dirname(cached), { recursive: true })
    const tmp = `${cached}.${process.pid}`
    writeFileSync(tmp, code)
    renameSync(tmp, cached)
  } catch {}
  return code
}

export async function load(url, context, next) {
  if (!url.startsWith("file:")) return next(url, context)
  const path = fileURLToPath(url)
  if (!TYPESCRIPT.test(path)) return next(url, context)
  return { format: "module", source: compile(path, readFileSync(path, "utf8")), shortCircuit: true }
}
