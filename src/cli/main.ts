/** The `tla-ts` command: list, check, replay, lincheck, prove. */
import { loadModels } from "../models.ts"
import { ModelError } from "../checker/model.ts"
import { SpecParamError } from "../../spec/packed.ts"
import { TraceFileError } from "../checker/trace-file.ts"
import { CHECK_USAGE, runCheck } from "./check.ts"
import { runReplay } from "./replay.ts"
import { runProve } from "./prove.ts"
import { EXIT_BAD_INPUT, parse, UsageError } from "./usage.ts"

const USAGE = `usage:
  tla-ts list [--json]
  ${CHECK_USAGE}
  tla-ts replay FILE [--itf OUT] [--shiviz OUT] [--json]
  tla-ts lincheck FILE --model etcd|kv|register|txn [--html OUT] [--timeout S] [--json]
  tla-ts prove [PROTOCOL...] [--out FILE] [--json]`

const list = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({ args, allowPositionals: true, options: { json: { type: "boolean" } } })
  if (positionals.length) throw new UsageError(`list takes no arguments, got "${positionals[0]}"`)
  const MODELS = await loadModels()
  if (values.json) {
    console.log(JSON.stringify(Object.fromEntries(MODELS.map((m) => [m.name, Object.keys(m.tests)]))))
    return 0
  }
  for (const m of MODELS) {
    console.log(`${m.name} — ${m.description}`)
    for (const [k, p] of Object.entries(m.params)) console.log(`  --param ${k}=${p.default || "…"}  ${p.description}`)
    for (const [name, t] of Object.entries(m.tests)) console.log(`  --test ${name}  ${t.description}${t.expect ? ` [expect ${t.expect}]` : ""}`)
  }
  return 0
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  list,
  check: runCheck,
  replay: runReplay,
  prove: runProve,
  lincheck: async (args) => (await import("./lincheck.ts")).runLincheck(args),
}

/** Bad input of any kind is one line on stderr and exit code 2. */
const isInputError = (e: unknown) => e instanceof UsageError || e instanceof ModelError || e instanceof TraceFileError || e instanceof SpecParamError || e instanceof RangeError

export const main = async (argv: string[]): Promise<number> => {
  const [command, ...rest] = argv
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE)
    return command === undefined ? EXIT_BAD_INPUT : 0
  }
  const run = COMMANDS[command]
  try {
    if (!run) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(", ")})`)
    return await run(rest)
  } catch (e) {
    if (isInputError(e)) {
      console.error(`tla-ts: ${(e as Error).message}`)
      return EXIT_BAD_INPUT
    }
    throw e
  }
}
