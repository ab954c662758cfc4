/**
 * tla-ts's own history format, version 1: one JSON object, written one operation per line.
 *
 *   {"version":1,"model":"kv","operations":[
 *   {"client":0,"call":10,"return":25,"input":{"op":"put","key":"k1","value":"x"},"output":{}},
 *   {"client":1,"call":12,"return":null,"input":{"op":"get","key":"k1"},"output":null}
 *   ]}
 *
 * - model: "kv" (inputs and outputs as KvInput / KvOutput in spec/kv.ts) or "register"
 *   (RegisterInput / RegisterOutput in spec/register.ts; values are numbers or strings).
 * - call, return: times on any one scale (a call and a return at the same time are concurrent).
 *   return null: the operation never returned (a timeout, a crash): it may take effect at any time
 *   after its call, or never; its output must be null.
 * - output null: the result is unknown (any result is accepted), but the operation took effect
 *   before its return.
 *
 * model "txn": each element is a transaction of spec/kv-txn, its read values written in its steps:
 *
 *   {"version":1,"model":"txn","operations":[
 *   {"client":0,"call":1,"return":4,"status":"committed","ops":[{"op":"read","key":"x","value":null},{"op":"write","key":"y","value":"1"}]},
 *   {"client":1,"call":2,"return":null,"status":"unknown","ops":[{"op":"swap","key":"x","with":"y"}]}
 *   ]}
 *
 * - status "committed" (return a number; every read has its "value", a string or null for absent),
 *   "aborted" (took no effect) or "unknown" (may have taken effect at any time after its call, or
 *   never; "return" may be a number or null, read values may be left out and are not checked).
 * - a write's "value" null deletes the key.
 */
import type { KeyValue, KvInput, KvOutput } from "../../spec/kv.ts"
import type { TxnStep } from "../../spec/kv-txn.ts"
import type { RegisterInput, RegisterOutput } from "../../spec/register.ts"
import { excerpt, HistoryParseError } from "./errors.ts"
import type { History, Operation } from "./history.ts"
import type { Transaction } from "./serializability.ts"

export type JsonModelName = "kv" | "register" | "txn"

export type JsonHistory =
  | { readonly model: "kv"; readonly history: History<KvInput, KvOutput> }
  | { readonly model: "register"; readonly history: History<RegisterInput, RegisterOutput> }

export type JsonDocument = JsonHistory | { readonly model: "txn"; readonly transactions: ReadonlyArray<Transaction> }

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Obj = { [key: string]: Json }

const isObj = (v: Json | undefined): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)
/** The JSON found, shortened for a one-line message. */
const show = (v: Json | undefined) => {
  if (v === undefined) return "nothing"
  const text = JSON.stringify(v)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** The line of each object that opens directly inside a top-level array (the operations). */
const elementLines = (text: string): number[] => {
  const lines: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "\n") line++
    else if (inString) {
      if (c === "\\") i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === "{" || c === "[") {
      if (c === "{" && depth === 2) lines.push(line)
      depth++
    } else if (c === "}" || c === "]") depth--
  }
  return lines
}

const checkValue = (v: Json | undefined, nullable: boolean, register: boolean): boolean =>
  // Beyond 2^53 JSON.parse has already rounded the number: distinct values could compare equal.
  typeof v === "string" || (register && typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) || (nullable && v === null)

const inputError = (model: JsonModelName, input: Json | undefined): string | undefined => {
  if (!isObj(input)) return "an object"
  const register = model === "register"
  const valueKind = register ? "a number within ±2^53 or a string" : "a string"
  const ops = register ? ["read", "write", "cas"] : ["get", "put", "append", "delete", "cas"]
  if (typeof input.op !== "string" || !ops.includes(input.op)) return `"op" one of ${ops.join(", ")}`
  if (!register && typeof input.key !== "string") return `a string "key"`
  if (["write", "put", "append", "cas"].includes(input.op) && !checkValue(input.value, false, register)) return `"value" ${valueKind}`
  if (input.op === "cas" && !checkValue(input.expected, true, register)) return `"expected" ${valueKind} or null`
  return undefined
}

const outputError = (model: JsonModelName, op: string, output: Json | undefined): string | undefined => {
  if (output === null) return undefined
  if (!isObj(output)) return "an object or null"
  if (op === "get" || op === "read") return checkValue(output.value, true, model === "register") ? undefined : `{"value": ...} with the value read or null`
  if (op === "append") return output.value === undefined || typeof output.value === "string" ? undefined : `{"value": "the new value"} or {}`
  if (op === "cas") return typeof output.ok === "boolean" ? undefined : `{"ok": true|false}`
  return undefined
}

/** A history of operations (model kv or register). */
export const parseJsonHistory = (text: string, expectModel?: "kv" | "register"): JsonHistory => {
  const doc = parseJsonDocument(text, expectModel)
  if (doc.model === "txn") throw new HistoryParseError(1, `"model": "kv" or "register"`, show(doc.model))
  return doc
}

/** Any history in this format: operations, or transactions (model txn). */
export const parseJsonDocument = (text: string, expectModel?: JsonModelName): JsonDocument => {
  let doc: Json
  try {
    doc = JSON.parse(text) as Json
  } catch (e) {
    const message = (e as Error).message
    const at = /at position (\d+)/.exec(message)
    const line = at ? text.slice(0, Number(at[1])).split("\n").length : 1
    throw new HistoryParseError(line, "valid JSON", excerpt(message))
  }
  if (!isObj(doc)) throw new HistoryParseError(1, "a JSON object", show(doc))
  const extra = Object.keys(doc).filter((k) => !["version", "model", "operations"].includes(k))
  if (extra.length > 0) throw new HistoryParseError(1, `only "version", "model" and "operations"`, excerpt(extra.join(", ")))
  if (doc.version !== 1) throw new HistoryParseError(1, `"version": 1`, show(doc.version))
  const model = doc.model
  if (model !== "kv" && model !== "register" && model !== "txn") throw new HistoryParseError(1, `"model": "kv", "register" or "txn"`, show(model))
  if (expectModel !== undefined && model !== expectModel) throw new HistoryParseError(1, `"model": "${expectModel}" (as asked)`, show(model))
  if (!Array.isArray(doc.operations)) throw new HistoryParseError(1, `"operations": [...]`, show(doc.operations))
  const lines = elementLines(text)
  const failer = (i: number) => (expected: string, found: Json | undefined): never => {
    throw new HistoryParseError(lines[i] ?? 1, `in operations[${i}], ${expected}`, show(found))
  }
  if (model === "txn") return { model, transactions: doc.operations.map((op, i) => parseTransaction(op, lines[i] ?? 1, failer(i))) }
  const operations = doc.operations.map((op, i): Operation<Json, Json> => {
    const line = lines[i] ?? 1
    const fail = failer(i)
    if (!isObj(op)) return fail("an object", op)
    const { client, call, input, output } = op
    const ret = op.return
    if (typeof client !== "number" || !Number.isInteger(client) || client < 0) fail(`"client" a whole number`, client)
    if (typeof call !== "number" || !Number.isFinite(call)) fail(`"call" a number`, call)
    if (ret !== null && (typeof ret !== "number" || !(ret >= (call as number)))) fail(`"return" null or a number not before "call"`, ret)
    const bad = inputError(model, input)
    if (bad) fail(`"input" ${bad}`, input)
    if (ret === null && output !== null) fail(`"output" null, as the operation never returned`, output)
    const badOutput = outputError(model, (input as Obj).op as string, output)
    if (badOutput) fail(`"output" ${badOutput}`, output)
    return { client: client as number, call: call as number, return: ret as number | null, input: input!, output: output ?? null, line }
  })
  return model === "kv"
    ? { model, history: operations as unknown as History<KvInput, KvOutput> }
    : { model, history: operations as unknown as History<RegisterInput, RegisterOutput> }
}

type Fail = (expected: string, found: Json | undefined) => never

const STATUSES = ["committed", "aborted", "unknown"] as const

const parseTransaction = (t: Json, line: number, fail: Fail): Transaction => {
  if (!isObj(t)) return fail("an object", t)
  const extra = Object.keys(t).filter((k) => !["client", "call", "return", "status", "ops"].includes(k))
  if (extra.length > 0) fail(`only "client", "call", "return", "status" and "ops"`, extra.join(", "))
  const { client, call, status, ops } = t
  const ret = t.return
  if (typeof client !== "number" || !Number.isInteger(client) || client < 0) fail(`"client" a whole number`, client)
  if (typeof call !== "number" || !Number.isFinite(call)) fail(`"call" a number`, call)
  if (!STATUSES.includes(status as never)) fail(`"status" one of ${STATUSES.join(", ")}`, status)
  if (ret === null ? status === "committed" : typeof ret !== "number" || !(ret >= (call as number)))
    fail(status === "committed" ? `"return" a number not before "call" (the transaction committed)` : `"return" null or a number not before "call"`, ret)
  if (!Array.isArray(ops)) return fail(`"ops" a list of steps`, ops)
  const committed = status === "committed"
  const reads: KeyValue[] = []
  const steps = ops.map((s, j): TxnStep => {
    const bad = (expected: string): never => fail(`ops[${j}] ${expected}`, s)
    if (!isObj(s)) return bad("an object")
    if (typeof s.key !== "string") return bad(`with a string "key"`)
    if (s.op === "read") {
      if (committed && !(typeof s.value === "string" || s.value === null)) bad(`a read with the "value" read (a string, or null for absent)`)
      if (committed) reads.push(s.value as KeyValue)
      return { op: "read", key: s.key }
    }
    if (s.op === "write") {
      if (!(typeof s.value === "string" || s.value === null)) bad(`a write with "value" a string, or null to delete`)
      return { op: "write", key: s.key, value: s.value as KeyValue }
    }
    if (s.op === "swap") {
      if (typeof s.with !== "string") bad(`a swap with a string "with"`)
      return { op: "swap", key: s.key, with: s.with as string }
    }
    return bad(`"op" one of read, write, swap`)
  })
  return { client: client as number, call: call as number, return: ret as number | null, status: status as Transaction["status"], txn: { steps }, reads: committed ? reads : null, line }
}

/** Writes transactions in this format, one per line. */
export const formatJsonTransactions = (txns: ReadonlyArray<Transaction>): string => {
  const one = ({ client, call, return: ret, status, txn, reads }: Transaction) => {
    let r = 0
    const ops = txn.steps.map((s) => (s.op === "read" && reads !== null ? { ...s, value: reads[r++]! } : s))
    return JSON.stringify({ client, call, return: ret, status, ops })
  }
  return `{"version":1,"model":"txn","operations":[\n${txns.map(one).join(",\n")}\n]}\n`
}

/** Writes a history in this format, one operation per line. */
export const formatJsonHistory = (model: JsonModelName, history: History<unknown, unknown>): string => {
  const ops = history.map(({ client, call, return: ret, input, output }) => JSON.stringify({ client, call, return: ret, input, output }))
  return `{"version":1,"model":${JSON.stringify(model)},"operations":[\n${ops.join(",\n")}\n]}\n`
}
