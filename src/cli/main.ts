/** The `tla-ts` command: list, check, replay, lincheck, prove. */
import { loadModels } from "../registry/index.ts"
import { EXIT, isInputError } from "../errors.ts"
import { CHECK_USAGE, runCheck } from "./check.ts"
import { runReplay } from "./replay.ts"
import { runProve } from "./prove.ts"
import { runTest, TEST_USAGE } from "./test.ts"
import { parse, UsageError } from "./usage.ts"

const USAGE = `usage:
  tla-ts list [--json]
  ${CHECK_USAGE}
  ${TEST_USAGE}
  tla-ts replay FILE [--itf OUT] [--shiviz OUT] [--json]
  tla-ts lincheck FILE --model etcd|kv|register [--html OUT] [--timeout S] [--json]
  tla-ts prove [PROTOCOL...] [--out FILE] [--json]

A model is a built-in name (tla-ts list) or a file exporting one (./model.ts, ./model.js).

exit codes:
  0   ok: no violation, goal reached, budget exhausted, history linearizable, trace reproduced
  1   a property fails: violation, goal not reached, not linearizable, an unexpected test verdict
  2   bad input: argument, flag, parameter, model file, trace or history file (one line on stderr)
  3   unknown: lincheck ran out of time; replay did not reproduce the recorded result
  70  internal error: a crash that is not the input's fault (reported with its stack)`

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
  test: runTest,
  replay: runReplay,
  prove: runProve,
  lincheck: async (args) => (await import("./lincheck.ts")).runLincheck(args),
}

export const main = async (argv: string[]): Promise<number> => {
  const [command, ...rest] = argv
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE)
    return command === undefined ? EXIT.badInput : EXIT.ok
  }
  const run = COMMANDS[command]
  try {
    if (!run) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(", ")})`)
    return await run(rest)
  } catch (e) {
    // Bad input is one line and exit 2; anything else is our fault: say so, with the stack.
    if (isInputError(e)) {
      console.error(`tla-ts: ${e.message}`)
      return EXIT.badInput
    }
    console.error(`tla-ts: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    return EXIT.internal
  }
}
