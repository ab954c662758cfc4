/** `tla-ts/spec`: the abstract specifications (KV store, register, consensus) and the TLA+ ports. */
export * from "../../spec/kv.ts"
export * from "../../spec/register.ts"
export * from "../../spec/consensus.ts"
export { twoPhase, type TwoPhaseOptions } from "../../spec/twophase.ts"
export { tCommit } from "../../spec/tcommit.ts"
export { intParam, SpecParamError } from "../../spec/packed.ts"
