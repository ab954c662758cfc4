/**
 * Every model the `tla-ts` command knows, by name. Protocol models load on first use, so a command
 * (or a parallel-BFS worker) pays only for the model it runs.
 */
import { type Model, ModelError } from "./checker/model.ts"
import { intParam } from "../spec/packed.ts"
import { twoPhase } from "../spec/twophase.ts"
import { tCommit } from "../spec/tcommit.ts"

const twophaseModel: Model = {
  name: "twophase",
  description: "TwoPhase.tla: two-phase commit with a transaction manager and RM resource managers",
  params: { rm: { default: "3", description: "number of resource managers (1-10)" } },
  build: (p) => twoPhase({ rm: intParam(p, "rm", 3, 1, 10) }),
  tests: {
    exhaustive: {
      description: "the whole state space, TCConsistent in every state",
      build: (p) => twoPhase({ rm: intParam(p, "rm", 3, 1, 10) }),
      expect: "ok",
    },
    "bug-commit-without-all-prepared": {
      description: "planted bug: the TM commits once any RM is prepared; TCConsistent must fail",
      build: (p) => twoPhase({ rm: intParam(p, "rm", 3, 2, 10), bugCommitWithoutAllPrepared: true }),
      expect: "violation",
    },
  },
}

const tcommitModel: Model = {
  name: "tcommit",
  description: "TCommit.tla: the abstract transaction commit spec that TwoPhase refines",
  params: { rm: { default: "3", description: "number of resource managers (1-15)" } },
  build: (p) => tCommit({ rm: intParam(p, "rm", 3, 1, 15) }),
  tests: {
    exhaustive: { description: "the whole state space", build: (p) => tCommit({ rm: intParam(p, "rm", 3, 1, 15) }), expect: "ok" },
  },
}

const LOADERS: Readonly<Record<string, () => Promise<Model>>> = {
  twophase: async () => twophaseModel,
  tcommit: async () => tcommitModel,
  pingpong: async () => (await import("./protocols/pingpong/model.ts")).pingPongModel,
  clientserver: async () => (await import("./protocols/clientserver/model.ts")).clientServerModel,
  primarybackup: async () => (await import("./protocols/primarybackup/model.ts")).primaryBackupModel,
  paxos: async () => (await import("./protocols/paxos/model.ts")).paxosModel,
  raft: async () => (await import("./protocols/raft/model.ts")).raftModel,
  "replicated-kv": async () => (await import("./protocols/replicated-kv/model.ts")).replicatedKvModel,
  shardmaster: async () => (await import("./protocols/shardmaster/model.ts")).shardMasterModel,
  shardkv: async () => (await import("./protocols/shardkv/model.ts")).shardKvModel,
}

export const MODEL_NAMES: ReadonlyArray<string> = Object.keys(LOADERS)

export const loadModel = async (name: string): Promise<Model> => {
  const load = LOADERS[name]
  if (!load) throw new ModelError(`unknown model "${name}" (known: ${MODEL_NAMES.join(", ")})`)
  return load()
}

export const loadModels = (): Promise<Model[]> => Promise.all(MODEL_NAMES.map(loadModel))
