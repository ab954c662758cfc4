/**
 * `tla-ts/logs`: the consensus logs a replicated service (`replicatedService` of `tla-ts/core`) runs
 * on, all behind one interface (ReplicatedLog): the spec-backed log (spec/consensus as one atomic
 * step, for checking a service in a small space), Multi-Paxos and Raft.
 */
export { specLog, type SpecLogOptions } from "../protocols/speclog/server.ts"
export { paxosLog } from "../protocols/paxos/server.ts"
export { raftLog } from "../protocols/raft/server.ts"
