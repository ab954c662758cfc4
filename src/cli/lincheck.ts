/**
 * `tla-ts lincheck FILE [--model etcd|kv|register|txn] [--html OUT] [--timeout S] [--json]`
 *
 * Checks a history for linearizability, or a history of transactions (--model txn) for strict
 * serializability. The file's format is read from its content (Jepsen etcd log, Porcupine kv log,
 * tla-ts JSON history); --model picks the model when the content does not (an empty file) and must
 * agree with it otherwise. The time budget covers reading and parsing the file.
 *
 * Exit codes: 0 linearizable (strictly serializable), 1 not, 2 bad usage or bad input (one line on
 * stderr), 3 unknown (the time budget ran out before a verdict).
 */
import { readFile, writeFile } from "node:fs/promises"
import { basename } from "node:path"
import { parseArgs } from "node:util"
import { checkHistory, type LinearizabilityResult } from "../linearizability/check.ts"
import { type LoadedHistory, loadHistory, MODEL_NAMES, type ModelName } from "../linearizability/formats.ts"
import { renderHtml, STRICT_SERIALIZABILITY } from "../linearizability/html.ts"
import { checkStrictSerializability } from "../linearizability/serializability.ts"
import { txnRecord, txnSummary } from "./lincheck-txn.ts"
import { isInputError, tagOf, UsageError } from "../errors.ts"
import { checkReadable } from "./input.ts"
import { checkWritable } from "./output.ts"

const USAGE = "usage: tla-ts lincheck FILE [--model etcd|kv|register|txn] [--html OUT] [--timeout SECONDS] [--json]"
const DEFAULT_TIMEOUT = 60

export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

const processIo: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) }


const options = {
  model: { type: "string" },
  html: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const

const parse = (args: string[]) => {
  let parsed
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split(". ")[0]} (${USAGE})`)
  }
  const { values, positionals } = parsed
  if (values.help) return undefined
  if (positionals.length !== 1) throw new UsageError(`expected one history file, got ${positionals.length} (${USAGE})`)
  const model = values.model
  if (model !== undefined && !(MODEL_NAMES as ReadonlyArray<string>).includes(model)) throw new UsageError(`--model must be one of ${MODEL_NAMES.join(", ")}, got "${model}"`)
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT : Number(values.timeout)
  if (!(timeout >= 0)) throw new UsageError(`--timeout must be a number of seconds, got "${values.timeout}"`)
  return { file: positionals[0]!, model: model as ModelName | undefined, html: values.html, timeout, json: values.json ?? false }
}

const EXIT = { linearizable: 0, "not-linearizable": 1, unknown: 3, "strictly-serializable": 0, "not-strictly-serializable": 1 } as const

const writePage = async (path: string, page: string): Promise<void> => {
  try {
    await writeFile(path, page)
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}

const summary = (file: string, loaded: LoadedHistory, r: LinearizabilityResult, html: string | undefined): string => {
  const { model, history } = loaded
  const lines = [`${file}: ${r.verdict.replace("-", " ")} (${model.name} model, ${r.operations} operations, ${r.partitions} partition(s), ${r.seconds.toFixed(3)} s)`]
  const f = r.failure
  if (f) {
    const op = history[f.blocking]!
    const where = op.line === undefined ? `op ${f.blocking}` : `line ${op.line}`
    lines.push(`  ${f.partition === "" ? "" : `key ${JSON.stringify(f.partition)}: `}after a linearisable prefix of ${f.prefix.length} operation(s), client ${op.client}'s ${model.describe(op.input, op.output)} (${where}) cannot be linearised`)
    if (f.subHistory) lines.push(`  failing sub-history: ${f.subHistory.operations.length} of ${f.operations.length} operations`)
  }
  if (r.reason) lines.push(`  ${r.reason}`)
  if (html) lines.push(`  drawn in ${html}`)
  return lines.join("\n") + "\n"
}

export const runLincheck = async (args: string[], io: Io = processIo): Promise<number> => {
  // The time budget covers reading, parsing and set-up too, not only the search.
  const startedAt = performance.now()
  let file = ""
  try {
    const opts = parse(args)
    if (opts === undefined) {
      io.out(`${USAGE}\nExit codes: 0 linearizable, 1 not linearizable, 2 bad input, 3 unknown (the time budget ran out), 70 internal error.\n`)
      return 0
    }
    file = opts.file
    if (opts.html !== undefined) checkWritable("--html", opts.html)
    checkReadable("history", opts.file)
    let text: string
    try {
      text = await readFile(opts.file, "utf8")
    } catch (e) {
      throw new UsageError(`cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    const loaded = loadHistory(text, opts.model)
    if (loaded.transactions) {
      const r = checkStrictSerializability(loaded.transactions, { timeoutSeconds: opts.timeout, startedAt })
      if (opts.html !== undefined) await writePage(opts.html, renderHtml({ title: `${basename(opts.file)}: ${r.verdict}`, model: loaded.model, history: loaded.history, result: r.search, words: STRICT_SERIALIZABILITY }))
      io.out(opts.json ? JSON.stringify(txnRecord(opts.file, loaded, r, opts.html)) + "\n" : txnSummary(opts.file, loaded, r, opts.html))
      return EXIT[r.verdict]
    }
    const result = checkHistory(loaded.model, loaded.history, { timeoutSeconds: opts.timeout, startedAt })
    if (opts.html !== undefined) await writePage(opts.html, renderHtml({ title: `${basename(opts.file)}: ${result.verdict}`, model: loaded.model, history: loaded.history, result }))
    if (opts.json) {
      const f = result.failure
      const record = {
        file: opts.file,
        model: loaded.name,
        format: loaded.format,
        verdict: result.verdict,
        operations: result.operations,
        partitions: result.partitions,
        steps: result.steps,
        seconds: result.seconds,
        ...(result.reason ? { reason: result.reason } : {}),
        ...(f
          ? {
              failure: {
                partition: f.partition,
                prefix: f.prefix.length,
                blocking: { op: f.blocking, client: loaded.history[f.blocking]!.client, line: loaded.history[f.blocking]!.line ?? null, text: loaded.model.describe(loaded.history[f.blocking]!.input, loaded.history[f.blocking]!.output) },
                subHistory: f.subHistory?.origin ?? null,
              },
            }
          : {}),
        ...(opts.html !== undefined ? { html: opts.html } : {}),
      }
      io.out(JSON.stringify(record) + "\n")
    } else io.out(summary(opts.file, loaded, result, opts.html))
    return EXIT[result.verdict]
  } catch (e) {
    if (tagOf(e) === "HistoryParseError") io.err(`tla-ts: ${file}: ${(e as Error).message}\n`)
    else if (isInputError(e)) io.err(`tla-ts: ${e.message}\n`)
    else throw e
    return 2
  }
}
