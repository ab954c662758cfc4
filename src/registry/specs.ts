/** The ported TLA+ specs as models: TwoPhase and TCommit. */
import type { Model } from "../checker/model.ts"
import { intParam } from "../../spec/packed.ts"
import { twoPhase } from "../../spec/twophase.ts"
import { tCommit } from "../../spec/tcommit.ts"

export const twophaseModel: Model = {
  name: "twophase",
  description: "TwoPhase.tla: two-phase commit with a transaction manager and RM resource managers",
  params: { rm: { default: "3", int: { min: 1, max: 10 }, description: "number of resource managers (1-10)" } },
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

export const tcommitModel: Model = {
  name: "tcommit",
  description: "TCommit.tla: the abstract transaction commit spec that TwoPhase refines",
  params: { rm: { default: "3", int: { min: 1, max: 15 }, description: "number of resource managers (1-15)" } },
  build: (p) => tCommit({ rm: intParam(p, "rm", 3, 1, 15) }),
  tests: {
    exhaustive: { description: "the whole state space", build: (p) => tCommit({ rm: intParam(p, "rm", 3, 1, 15) }), expect: "ok" },
  },
}
