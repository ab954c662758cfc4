/**
 * Reads a history file in any supported format, chosen from its content: Jepsen etcd logs
 * (`INFO  jepsen.util ...`), Porcupine kv logs (`{:process ...}`) or tla-ts JSON (`{"version":1 ...}`);
 * and picks the model: etcd logs are checked against the register (CAS) model, kv logs against KV
 * with keys starting as "", JSON against the model it names (txn: transactions, for strict
 * serializability).
 */
import { txnKeys } from "../../spec/kv-txn.ts"
import { excerpt, HistoryParseError } from "./errors.ts"
import type { History } from "./history.ts"
import type { AnyModel } from "./model.ts"
import { kvModel, registerModel } from "./models.ts"
import { parseEtcdLog } from "./parse-etcd.ts"
import { parseJsonDocument } from "./parse-json.ts"
import { parseKvLog, porcupineKvModel } from "./parse-kv-log.ts"
import { type Transaction, transactionHistory } from "./serializability.ts"
import { makeTxnModel } from "./txn-model.ts"

export const MODEL_NAMES = ["etcd", "kv", "register", "txn"] as const
export type ModelName = (typeof MODEL_NAMES)[number]
export type Format = "etcd-log" | "kv-log" | "json"

export interface LoadedHistory {
  readonly format: Format
  /** The model as --model names it. */
  readonly name: ModelName
  readonly model: AnyModel
  readonly history: History<unknown, unknown>
  /** Model txn: the transactions (`history` has one operation per transaction, same index). */
  readonly transactions?: ReadonlyArray<Transaction>
}

const detect = (text: string, model: ModelName | undefined): Format => {
  const first = text.trimStart()
  if (first.startsWith("INFO")) return "etcd-log"
  if (first.startsWith("{:")) return "kv-log"
  if (first !== "") return "json"
  if (model === undefined) throw new HistoryParseError(1, "a history (the file is empty, so its format is unknown: give --model)", "an empty file")
  return model === "etcd" ? "etcd-log" : model === "kv" ? "kv-log" : "json"
}

const mismatch = (format: Format, model: ModelName): HistoryParseError =>
  new HistoryParseError(1, `a history for --model ${model}`, excerpt(`a ${format === "etcd-log" ? "Jepsen etcd log (--model etcd)" : "Porcupine kv log (--model kv)"}`))

/** `model` undefined: the one the file implies. */
export const loadHistory = (text: string, model?: ModelName): LoadedHistory => {
  const format = detect(text, model)
  switch (format) {
    case "etcd-log":
      if (model === "kv" || model === "txn") throw mismatch(format, model)
      return { format, name: "etcd", model: registerModel as AnyModel, history: parseEtcdLog(text) }
    case "kv-log":
      if (model !== undefined && model !== "kv") throw mismatch(format, model)
      return { format, name: "kv", model: porcupineKvModel as AnyModel, history: parseKvLog(text) }
    case "json": {
      const parsed = parseJsonDocument(text, model === undefined ? undefined : model === "etcd" ? "register" : model)
      if (parsed.model === "txn") {
        const { transactions } = parsed
        const model = makeTxnModel(transactions.flatMap((t) => txnKeys(t.txn))) as unknown as AnyModel
        return { format, name: "txn", model, history: transactionHistory(transactions), transactions }
      }
      return { format, name: parsed.model, model: (parsed.model === "kv" ? kvModel : registerModel) as AnyModel, history: parsed.history }
    }
  }
}
