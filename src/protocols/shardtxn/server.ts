/** A transactional group server: the shard group server (shardkv/server.ts) running the transactional group application. */
import type { ReplicatedLog } from "../../core/replicated-log.ts"
import { groupServerOf, type GroupServer, type GroupServerOptions } from "../shardkv/server.ts"
import { txnGroup, type TxnBugs } from "./group.ts"
import type { TxnCommand, TxnGroupState } from "./messages.ts"

export const txnServer = <L>(log: ReplicatedLog<L>, options: GroupServerOptions & { readonly bugs?: TxnBugs }): GroupServer<L, TxnGroupState, TxnCommand> => {
  const app = txnGroup(options)
  return groupServerOf(log, options, app, app.extension)
}
