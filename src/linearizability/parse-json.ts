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
 */
import type { KvInput, KvOutput } from "../../spec/kv.ts"
import type { RegisterInput, RegisterOutput } from "../../spec/register.ts"
import { excerpt, HistoryParseError } from "./errors.ts"
import type { History, Operation } from "./history.ts"

export type JsonModelName = "kv" | "register"

export type JsonHistory =
  | { readonly model: "kv"; readonly history: History<KvInput, KvOutput> }
  | { readonly model: "register"; readonly history: History<RegisterInput, RegisterOutput> }

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Obj = { [key: string]: Json }

const isObj = (v: Json | undefined): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v)
const show = (v: Json | undefined) => (v === undefined ? "nothing" : excerpt(JSON.stringify(v)))

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

export const parseJsonHistory = (text: string, expectModel?: JsonModelName): JsonHistory => {
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
  if (model !== "kv" && model !== "register") throw new HistoryParseError(1, `"model": "kv" or "register"`, show(model))
  if (expectModel !== undefined && model !== expectModel) throw new HistoryParseError(1, `"model": "${expectModel}" (as asked)`, show(model))
  if (!Array.isArray(doc.operations)) throw new HistoryParseError(1, `"operations": [...]`, show(doc.operations))
  const lines = elementLines(text)
  const operations = doc.operations.map((op, i): Operation<Json, Json> => {
    const line = lines[i] ?? 1
    const fail = (expected: string, found: Json | undefined): never => {
      throw new HistoryParseError(line, `in operations[${i}], ${expected}`, show(found))
    }
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

/** Writes a history in this format, one operation per line. */
export const formatJsonHistory = (model: JsonModelName, history: History<unknown, unknown>): string => {
  const ops = history.map(({ client, call, return: ret, input, output }) => JSON.stringify({ client, call, return: ret, input, output }))
  return `{"version":1,"model":${JSON.stringify(model)},"operations":[\n${ops.join(",\n")}\n]}\n`
}
