/** Every model the `tla-ts` command knows, by name. */
import { type Model, ModelError } from "./checker/model.ts"
import { intParam } from "../spec/packed.ts"
import { twoPhase } from "../spec/twophase.ts"
import { tCommit } from "../spec/tcommit.ts"
import { clientServerModel } from "./protocols/clientserver/model.ts"
import { pingPongModel } from "./protocols/pingpong/model.ts"
import { paxosModel } from "./protocols/paxos/model.ts"
import { primaryBackupModel } from "./protocols/primarybackup/model.ts"

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

export const MODELS: ReadonlyArray<Model> = [twophaseModel, tcommitModel, pingPongModel, clientServerModel, primaryBackupModel, paxosModel]

export const findModel = (name: string): Model => {
  const m = MODELS.find((x) => x.name === name)
  if (!m) throw new ModelError(`unknown model "${name}" (known: ${MODELS.map((x) => x.name).join(", ")})`)
  return m
}
