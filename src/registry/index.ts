/**
 * Every model the `tla-ts` command knows: the built-in ones by name (loaded on first use, so a command
 * or a parallel-BFS worker pays only for the model it runs) and user model files by path. The only
 * module that knows every protocol; the checker never imports it, and parallel workers reach it at run
 * time through REGISTRY_URL.
 */
import { type Model, ModelError } from "../checker/model.ts"
import { isModelFile, loadModelFile } from "./model-file.ts"
import { tcommitModel, twophaseModel } from "./specs.ts"

/**
 * The whole-number parameters of the built-in models and their bounds, checked before any build for
 * every test: a value a test does not read would otherwise pass vacuously ("clients=abc").
 */
const withInts = (model: Model, ints: Readonly<Record<string, readonly [number, number]>>): Model => ({
  ...model,
  params: Object.fromEntries(Object.entries(model.params).map(([k, p]) => [k, ints[k] ? { ...p, int: { min: ints[k][0], max: ints[k][1] } } : p])),
})

/** A protocol's model: bounded whole-number parameters, and systems that offer their clients' history. */
const protocol = async (model: Model, ints: Readonly<Record<string, readonly [number, number]>>): Promise<Model> =>
  (await import("./history.ts")).offeringHistory(withInts(model, ints))

const LOADERS: Readonly<Record<string, () => Promise<Model>>> = {
  twophase: async () => withInts(twophaseModel, { rm: [1, 10] }),
  tcommit: async () => withInts(tcommitModel, { rm: [1, 15] }),
  pingpong: async () => protocol((await import("../protocols/pingpong/model.ts")).pingPongModel, { clients: [1, 20], pings: [1, 100_000] }),
  clientserver: async () => protocol((await import("../protocols/clientserver/model.ts")).clientServerModel, { clients: [1, 50], ops: [1, 100_000] }),
  primarybackup: async () => protocol((await import("../protocols/primarybackup/model.ts")).primaryBackupModel, { ops: [1, 100_000] }),
  paxos: async () => protocol((await import("../protocols/paxos/model.ts")).paxosModel, { servers: [1, 9], ops: [1, 100_000], clients: [1, 10] }),
  raft: async () => protocol((await import("../protocols/raft/model.ts")).raftModel, { maxTerm: [1, 5] }),
  "replicated-kv": async () => protocol((await import("../protocols/replicated-kv/model.ts")).replicatedKvModel, { clients: [1, 5] }),
  shardmaster: async () => protocol((await import("../protocols/shardmaster/model.ts")).shardMasterModel, { servers: [1, 7], shards: [1, 6], groups: [1, 5], configs: [1, 8] }),
  shardkv: async () => protocol((await import("../protocols/shardkv/model.ts")).shardKvModel, { servers: [1, 5], ops: [1, 100_000] }),
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
