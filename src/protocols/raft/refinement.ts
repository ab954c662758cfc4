/** Raft's refinement: the committed KV store of the service over the Raft log refines spec/kv. */
import { refinesKv } from "../../core/kv-refinement.ts"
import { readsNodes } from "../../core/step-reads.ts"
import type { World } from "../../core/world.ts"
import { committedStore } from "./properties.ts"

/**
 * The committed KV store refines spec/kv: each protocol step changes it by one KV operation or not at
 * all (single-client configurations: see core/kv-refinement.ts). It reads the servers' records only.
 */
export const kvRefinement = (n: number) => readsNodes(refinesKv<World>((w) => committedStore(w, n)))
