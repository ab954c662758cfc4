/** KV operations between the command line, the protocol's commands and results, and history records. */
import type { KvInput, KvOutput } from "../../spec/kv.ts"
import { Append, Get, Put } from "../core/kv.ts"
import type { Tagged } from "../core/node.ts"

export const toCommand = (input: KvInput): Tagged => {
  switch (input.op) {
    case "get":
      return new Get({ key: input.key })
    case "put":
      return new Put({ key: input.key, value: input.value })
    case "append":
      return new Append({ key: input.key, value: input.value })
    default:
      throw new Error(`the KV service does not offer ${input.op}`)
  }
}

/** The history output of a result; undefined when the result does not answer the input. */
export const toOutput = (input: KvInput, result: Tagged): KvOutput | undefined => {
  const r = result as Tagged & { readonly value?: string }
  switch (result._tag) {
    case "GetResult":
      return input.op === "get" ? { value: r.value! } : undefined
    case "KeyNotFound":
      return input.op === "get" ? { value: null } : undefined
    case "PutOk":
      return input.op === "put" ? {} : undefined
    case "AppendResult":
      return input.op === "append" ? { value: r.value! } : undefined
    default:
      return undefined
  }
}
