/**
 * Porcupine's kv logs (see ../shared/data/porcupine/README.md). One map per line:
 *
 *   {:process P, :type :invoke|:ok, :f :get|:put|:append, :key "K", :value nil|"V"}
 *
 * Time is the line number. A get's :ok carries the value read; a put's and an append's :ok echo
 * the argument (so an append's new value is not recorded). Every key starts as "".
 */
import type { KvInput, KvOutput } from "../../spec/kv.ts"
import { makeKvModel } from "./models.ts"
import { excerpt, HistoryParseError } from "./errors.ts"
import type { History, Operation } from "./history.ts"

const STRING = String.raw`"(?:[^"\\]|\\.)*"`
const LINE = new RegExp(String.raw`^\{:process (\d+), :type (:\w+), :f (:\w+), :key (${STRING}), :value (nil|${STRING})\}$`)

/** The model these logs are checked against: KV where every key starts as the empty string. */
export const porcupineKvModel = makeKvModel("")

const unquote = (quoted: string, line: number): string => {
  try {
    return JSON.parse(quoted) as string
  } catch {
    throw new HistoryParseError(line, "a string with \\\" and \\\\ as its only escapes", excerpt(quoted))
  }
}

export const parseKvLog = (text: string): History<KvInput, KvOutput> => {
  const ops: Array<Operation<KvInput, KvOutput>> = []
  const open = new Map<number, { line: number; f: string; input: KvInput }>()
  const lines = text.split("\n")
  lines.forEach((raw, i) => {
    const line = i + 1
    if (raw.trim() === "") return
    const m = LINE.exec(raw.trim())
    if (!m) throw new HistoryParseError(line, `{:process P, :type T, :f F, :key "K", :value nil|"V"}`, excerpt(raw))
    const [, proc, type, f, rawKey, rawValue] = m as unknown as [string, string, string, string, string, string]
    const process = Number(proc)
    const key = unquote(rawKey, line)
    const value = rawValue === "nil" ? null : unquote(rawValue, line)
    if (f !== ":get" && f !== ":put" && f !== ":append") throw new HistoryParseError(line, ":get, :put or :append", excerpt(f))
    if (type === ":invoke") {
      const prior = open.get(process)
      if (prior) throw new HistoryParseError(line, `an :ok for process ${process}, whose call at line ${prior.line} is still open`, ":invoke")
      if (f === ":get") {
        open.set(process, { line, f, input: { op: "get", key } })
        return
      }
      if (value === null) throw new HistoryParseError(line, `a string value for ${f}`, "nil")
      open.set(process, { line, f, input: { op: f === ":put" ? "put" : "append", key, value } })
      return
    }
    if (type !== ":ok") throw new HistoryParseError(line, ":invoke or :ok", excerpt(type))
    const call = open.get(process)
    if (!call) throw new HistoryParseError(line, `an :invoke for process ${process} before its :ok`, excerpt(raw))
    if (call.f !== f || call.input.key !== key) throw new HistoryParseError(line, `the return of the ${call.f} on ${JSON.stringify(call.input.key)} called at line ${call.line}`, excerpt(`${f} ${rawKey}`))
    open.delete(process)
    ops.push({ client: process, call: call.line, return: line, input: call.input, output: f === ":get" ? { value } : {}, line: call.line })
  })
  for (const [process, call] of open) ops.push({ client: process, call: call.line, return: null, input: call.input, output: null, line: call.line })
  return ops
}
