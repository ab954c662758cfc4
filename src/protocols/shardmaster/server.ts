/**
 * The replicated shard master: the configuration application (config.ts) over a replicated log, as
 * a thin parent (core's replicated service: requests go into the log through the leader, every
 * replica applies committed commands in order through the exactly-once layer). It runs on any log
 * that implements the one interface: Multi-Paxos, or the spec-backed log for far smaller searches.
 */
import type { ReplicatedLog } from "../../core/replicated-log.ts"
import { replicatedService, type Service } from "../../core/replicated-service.ts"
import { shardMaster, type ShardMasterOptions } from "./config.ts"
import type { ShardMasterState } from "./messages.ts"

export const shardMasterServer = <L>(log: ReplicatedLog<L>, options: ShardMasterOptions): Service<ShardMasterState, L> => replicatedService(shardMaster(options), log)
