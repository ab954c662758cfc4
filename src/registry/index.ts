/**
 * Every model the `tla-ts` command knows: the built-in ones by name (loaded on first use, so a command
 * or a parallel-BFS worker pays only for the model it runs) and user model files by path. The only
 * module that knows every protocol; the checker never imports it, and parallel workers reach it at run
 * time through REGISTRY_URL.
 */
import { type Model, ModelError } from "../checker/model.ts"
import { isModelFile, loadModelFile } from "./model-file.ts"
import type { Transactions } from "./history.ts"
import { tcommitModel, twophaseModel } from "./specs.ts"

/** A protocol's model: systems that offer their clients' history. */
const protocol = async (model: Model, transactions?: Transactions): Promise<Model> => (await import("./history.ts")).offeringHistory(model, transactions)

const LOADERS: Readonly<Record<string, () => Promise<Model>>> = {
  twophase: async () => twophaseModel,
  tcommit: async () => tcommitModel,
  pingpong: async () => protocol((await import("../protocols/pingpong/model.ts")).pingPongModel),
  clientserver: async () => protocol((await import("../protocols/clientserver/model.ts")).clientServerModel),
  primarybackup: async () => protocol((await import("../protocols/primarybackup/model.ts")).primaryBackupModel),
  paxos: async () => protocol((await import("../protocols/paxos/model.ts")).paxosModel),
  raft: async () => protocol((await import("../protocols/raft/model.ts")).raftModel),
  "replicated-kv": async () => protocol((await import("../protocols/replicated-kv/model.ts")).replicatedKvModel),
  shardmaster: async () => protocol((await import("../protocols/shardmaster/model.ts")).shardMasterModel),
  shardkv: async () => protocol((await import("../protocols/shardkv/model.ts")).shardKvModel),
  shardtxn: async () => protocol((await import("../protocols/shardtxn/model.ts")).shardTxnModel, (await import("../protocols/shardtxn/properties.ts")).transactionsOf),
}

/** This module, for workers that must load a model by name on their own thread. */
export const REGISTRY_URL: string = import.meta.url

export const MODEL_NAMES: ReadonlyArray<string> = Object.keys(LOADERS)

/** A built-in model by name, or the model a file exports (a name with a slash or a .ts/.js ending). */
export const loadModel = async (nameOrFile: string): Promise<Model> => {
  if (isModelFile(nameOrFile)) return loadModelFile(nameOrFile)
  if (!Object.hasOwn(LOADERS, nameOrFile)) throw new ModelError(`unknown model "${nameOrFile}" (known: ${MODEL_NAMES.join(", ")}, or a model file such as ./model.ts)`)
  return LOADERS[nameOrFile]!()
}

export const loadModels = (): Promise<Model[]> => Promise.all(MODEL_NAMES.map(loadModel))
