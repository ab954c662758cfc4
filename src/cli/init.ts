/**
 * `tla-ts init DIR`: a project with one small protocol (a lock server), its model with a passing and a
 * planted-bug named test, and a package.json whose `npm test` runs `tla-ts test`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { fromPackageRoot } from "../package-root.ts"
import { EXIT, OutputError } from "../errors.ts"
import { parse, UsageError } from "./usage.ts"

export const INIT_USAGE = "tla-ts init DIR [--name NAME]"

const TEMPLATE = fromPackageRoot("templates", "init")
const OWN_PACKAGE = fromPackageRoot("package.json")

export const runInit = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({ args, allowPositionals: true, options: { name: { type: "string" } } })
  if (positionals.length !== 1) throw new UsageError(`init takes one directory: ${INIT_USAGE}`)
  const dir = resolve(positionals[0]!)
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new OutputError(`init: ${positionals[0]} exists and is not empty`)
  const name = values.name ?? basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, "-")
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new UsageError(`init: "${name}" is not a valid package name (use --name)`)
  try {
    mkdirSync(dir, { recursive: true })
    cpSync(TEMPLATE, dir, { recursive: true })
  } catch (e) {
    throw new OutputError(`init: cannot write ${positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  // npm drops files named .gitignore from packages, so the template carries it without the dot.
  renameSync(join(dir, "gitignore"), join(dir, ".gitignore"))
  const readme = join(dir, "README.md")
  writeFileSync(readme, readFileSync(readme, "utf8").replaceAll("{{name}}", name))
  const version = (JSON.parse(readFileSync(OWN_PACKAGE, "utf8")) as { version: string }).version
  const pkg = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: { test: "tla-ts test ./model.ts --junit junit.xml" },
    devDependencies: { "tla-ts": `^${version}` },
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n")
  console.log(`created ${positionals[0]}: model.ts, src/lock.ts, package.json, README.md
next:
  cd ${positionals[0]}
  npm install
  npm test`)
  return EXIT.ok
}
