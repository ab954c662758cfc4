/** The `tla-ts` command: list, check, test, init, replay, lincheck, prove, view, explore, node, cluster, kv, merge. */
import type { ModelInfo } from "../registry/catalog.ts"
import { EXIT, isInputError } from "../errors.ts"
import { CHECK_USAGE, CLUSTER_USAGE, EXPLORE_USAGE, NODE_USAGE, parse, TEST_USAGE, UsageError, VIEW_USAGE } from "./usage.ts"

const USAGE = `usage:
  tla-ts list [MODEL|FILE ...] [--json]
  ${CHECK_USAGE}
  ${TEST_USAGE}
  tla-ts init DIR [--name NAME]
  tla-ts replay FILE [--itf OUT] [--shiviz OUT] [--json]
  tla-ts lincheck FILE --model etcd|kv|register|txn [--html OUT] [--timeout S] [--json]
  tla-ts prove [PROTOCOL...] [--out FILE] [--json]
  ${VIEW_USAGE}
  ${EXPLORE_USAGE}
  ${NODE_USAGE}
  ${CLUSTER_USAGE}
  tla-ts kv --cluster HOST:PORT,... [--timeout S] get KEY | put KEY VALUE | append KEY VALUE
  tla-ts kv bench --cluster HOST:PORT,... --clients N --seconds S [--value-size B] [--keys K] [--workload put|get|mixed|append|jepsen] [--seed N] [--history-out FILE] [--json]
  tla-ts merge FILE... [--json]`

const HELP = `A model is a built-in name (tla-ts list) or a file exporting one (./model.ts, ./model.js).

exit codes:
  0   ok: no violation, goal reached, budget exhausted, history linearizable, trace reproduced
  1   a property fails: violation, goal not reached, not linearizable, an unexpected test verdict
  2   bad input: argument, flag, parameter, model file, trace or history file (one line on stderr)
  3   unknown: lincheck ran out of time; replay did not reproduce the recorded result
  70  internal error: a crash that is not the input's fault (reported with its stack), including
      a run that fills the heap (stopped at 80% of node's limit, checked about once a second)`

const list = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({ args, allowPositionals: true, options: { json: { type: "boolean" } } })
  // Built-in models come from the build's catalog; model files given as arguments are loaded.
  const [{ builtinCatalog, describeModel }, { loadModel }] = await Promise.all([import("../registry/catalog.ts"), import("../registry/index.ts")])
  const MODELS: ModelInfo[] = positionals.length ? await Promise.all(positionals.map(async (p) => describeModel(await loadModel(p)))) : await builtinCatalog()
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
  // Each command loads its own modules: a start pays only for the command it runs.
  check: async (args) => (await import("./check.ts")).runCheck(args),
  test: async (args) => (await import("./test.ts")).runTest(args),
  init: async (args) => (await import("./init.ts")).runInit(args),
  replay: async (args) => (await import("./replay.ts")).runReplay(args),
  prove: async (args) => (await import("./prove.ts")).runProve(args),
  view: async (args) => (await import("./view.ts")).runView(args),
  explore: async (args) => (await import("./explore.ts")).runExplore(args),
  lincheck: async (args) => (await import("./lincheck.ts")).runLincheck(args),
  node: async (args) => (await import("./node.ts")).runNode(args),
  cluster: async (args) => (await import("./cluster.ts")).runCluster(args),
  kv: async (args) => (await import("./kv.ts")).runKv(args),
  merge: async (args) => (await import("./merge.ts")).runMerge(args),
}

export const main = async (argv: string[]): Promise<number> => {
  const [command, ...rest] = argv
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(`${USAGE}\n\n${HELP}`)
    return command === undefined ? EXIT.badInput : EXIT.ok
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
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
