/** The exactly-once server's store refines spec/kv: every protocol step is one KV operation or a stutter. */
import type { AMOState } from "../../core/application.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { KVState } from "../../core/kv.ts"
import { refinesKv as storeRefinesKv } from "../../core/kv-refinement.ts"
import { role } from "../../core/roles.ts"
import { readsNodes } from "../../core/step-reads.ts"

/** The single server, typed (the first node of every clientserver configuration). */
export const theServer = role<AMOState<KVState>>(0, "server")

/** It reads the server's record only (core/step-reads.ts). */
export const refinesKv = () => readsNodes(storeRefinesKv<ProtocolState, Event>((w) => theServer.state(w)?.app))
