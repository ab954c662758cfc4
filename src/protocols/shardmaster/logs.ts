/** The consensus logs the shard master and the shard groups run on, chosen by the `log` parameter (default Multi-Paxos). */
import type { Params } from "../../checker/model.ts"
import { logParam as logOf, type LogKind } from "../replicated-kv/logs.ts"

export { logFor, LOGS, type LogKind } from "../replicated-kv/logs.ts"

export const logParam = (p: Params): LogKind => logOf(p, "paxos")
