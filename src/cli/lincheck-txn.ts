/**
 * What `tla-ts lincheck --model txn` prints: the strict-serializability verdict, a witness order or
 * the failing component and its smallest failing set of transactions, as text or one JSON record.
 * Transactions are named by their line in the file (or their index when they have none).
 */
import type { LoadedHistory } from "../linearizability/formats.ts"
import type { SerializabilityResult } from "../linearizability/serializability.ts"

/** At most this many transactions are listed in the text summary. */
const LISTED = 20

const name = (loaded: LoadedHistory, i: number) => {
  const line = loaded.history[i]!.line
  return line === undefined ? `#${i}` : `line ${line}`
}

const listed = (loaded: LoadedHistory, ids: ReadonlyArray<number>) =>
  ids.slice(0, LISTED).map((i) => name(loaded, i)).join(", ") + (ids.length > LISTED ? `, ... (${ids.length - LISTED} more)` : "")

export const txnSummary = (file: string, loaded: LoadedHistory, r: SerializabilityResult, html: string | undefined): string => {
  const { model, history } = loaded
  const lines = [`${file}: ${r.verdict.replaceAll("-", " ")} (${model.name}, ${r.transactions} transactions, ${r.components} component(s), ${r.seconds.toFixed(3)} s)`]
  if (r.witness) lines.push(`  witness order: ${listed(loaded, r.witness)}`)
  const f = r.failure
  if (f) {
    const op = history[f.blocking]!
    lines.push(`  keys ${JSON.stringify(f.partition)}: after a serializable prefix of ${f.prefix.length} transaction(s), client ${op.client}'s ${model.describe(op.input, op.output)} (${name(loaded, f.blocking)}) cannot be serialised before it returns`)
    const sub = f.subHistory
    if (sub) lines.push(`  ${sub.exhaustive ? "smallest" : "small"} failing set: ${sub.origin.length} of ${f.operations.length} transactions (${listed(loaded, sub.origin)})`)
  }
  if (r.reason) lines.push(`  ${r.reason}`)
  if (html) lines.push(`  drawn in ${html}`)
  return lines.join("\n") + "\n"
}

export const txnRecord = (file: string, loaded: LoadedHistory, r: SerializabilityResult, html: string | undefined): object => {
  const line = (i: number) => loaded.history[i]!.line ?? null
  const f = r.failure
  return {
    file,
    model: loaded.name,
    format: loaded.format,
    verdict: r.verdict,
    transactions: r.transactions,
    components: r.components,
    steps: r.steps,
    seconds: r.seconds,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.witness ? { witness: r.witness.map((i) => ({ transaction: i, line: line(i) })) } : {}),
    ...(f
      ? {
          failure: {
            keys: f.partition,
            prefix: f.prefix.length,
            blocking: { transaction: f.blocking, client: loaded.history[f.blocking]!.client, line: line(f.blocking), text: loaded.model.describe(loaded.history[f.blocking]!.input, loaded.history[f.blocking]!.output) },
            failingSet: f.subHistory ? f.subHistory.origin.map((i) => ({ transaction: i, line: line(i) })) : null,
            smallest: f.subHistory?.exhaustive ?? false,
          },
        }
      : {}),
    ...(html !== undefined ? { html } : {}),
  }
}
