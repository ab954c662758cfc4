/**
 * The sequential models the linearizability checker knows, built from the specs' step relations
 * (spec/ never imports the checker; the checker imports spec/).
 */
import { describeKv, type KeyValue, type KvInput, type KvOutput, kvStep } from "../../spec/kv.ts"
import { describeRegister, type RegisterInput, type RegisterOutput, type RegisterState, registerStep } from "../../spec/register.ts"
import type { Model } from "./model.ts"

/** KV, partitioned by key; every key starts as `initial` (absent by default). */
export const makeKvModel = (initial: KeyValue = null): Model<KvInput, KvOutput, KeyValue> => ({
  name: initial === null ? "kv" : `kv(initial ${JSON.stringify(initial)})`,
  init: () => initial,
  step: kvStep,
  partition: (input) => input.key,
  readOnly: (input, output) => input.op === "get" || (input.op === "cas" && output?.ok === false),
  describe: describeKv,
})

export const kvModel = makeKvModel()

/** The register (a read/write register is the CAS register used without CAS). */
export const registerModel: Model<RegisterInput, RegisterOutput, RegisterState> = {
  name: "register",
  init: () => null,
  step: registerStep,
  readOnly: (input, output) => input.op === "read" || (input.op === "cas" && output?.ok === false),
  describe: describeRegister,
}
