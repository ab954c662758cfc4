/** The key-value application every KV protocol serves: Get, Put, Append (returns the new value). */
import { Schema } from "effect"
import type { Application } from "./application.ts"
import { setIn } from "./persistent-map.ts"
import { TaggedData } from "./tagged-data.ts"

export class Get extends TaggedData<Get>()("Get", { key: Schema.String }) {}
export class Put extends TaggedData<Put>()("Put", { key: Schema.String, value: Schema.String }) {}
export class Append extends TaggedData<Append>()("Append", { key: Schema.String, value: Schema.String }) {}
export const KVCommand = Schema.Union([Get, Put, Append])
export type KVCommand = Get | Put | Append

export class GetResult extends TaggedData<GetResult>()("GetResult", { value: Schema.String }) {}
export class KeyNotFound extends TaggedData<KeyNotFound>()("KeyNotFound", {}) {}
export class PutOk extends TaggedData<PutOk>()("PutOk", {}) {}
export class AppendResult extends TaggedData<AppendResult>()("AppendResult", { value: Schema.String }) {}
export const KVResult = Schema.Union([GetResult, KeyNotFound, PutOk, AppendResult])
export type KVResult = GetResult | KeyNotFound | PutOk | AppendResult

export const KVState = Schema.ReadonlyMap(Schema.String, Schema.String)
export type KVState = ReadonlyMap<string, string>

export const kvStore: Application<KVState, KVCommand, KVResult> = {
  init: () => new Map(),
  execute: (s, c) => {
    switch (c._tag) {
      case "Get": {
        const v = s.get(c.key)
        return [v === undefined ? new KeyNotFound() : new GetResult({ value: v }), s]
      }
      // setIn: a large store is a PersistentMap, so a write does not copy it (persistent-map.ts).
      case "Put":
        return [new PutOk(), setIn(s, c.key, c.value)]
      case "Append": {
        const v = (s.get(c.key) ?? "") + c.value
        return [new AppendResult({ value: v }), setIn(s, c.key, v)]
      }
    }
  },
  readOnly: (c) => c._tag === "Get",
}

// Short constructors for workloads and tests.
export const get = (key: string) => new Get({ key })
export const put = (key: string, value: string) => new Put({ key, value })
export const append = (key: string, value: string) => new Append({ key, value })
export const getResult = (value: string) => new GetResult({ value })
export const keyNotFound = () => new KeyNotFound()
export const putOk = () => new PutOk()
export const appendResult = (value: string) => new AppendResult({ value })

export const showKV = (x: KVCommand | KVResult): string => {
  switch (x._tag) {
    case "Get":
      return `Get(${x.key})`
    case "Put":
      return `Put(${x.key},${x.value})`
    case "Append":
      return `Append(${x.key},${x.value})`
    case "GetResult":
      return `GetResult(${x.value})`
    case "AppendResult":
      return `AppendResult(${x.value})`
    default:
      return x._tag
  }
}
