/** The exactly-once server's store refines spec/kv: every protocol step is one KV operation or a stutter. */
import type { AMOState } from "../../core/application.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { KVState } from "../../core/kv.ts"
import { refinesKv as storeRefinesKv } from "../../core/kv-refinement.ts"
import { role } from "../../core/roles.ts"
import { readsNodes } from "../../core/step-reads.ts"

/** The single server, typed (the first node of every clientserver configuration). */
export const theServer = role<AMOState<KVState>>(0, "server")

/** The server's store in a world. */
const store = (w: ProtocolState) => theServer.state(w)?.app

/** It reads the server's record only (core/step-reads.ts); a step that leaves the store the very same object is a stutter (its scope). */
export const refinesKv = () => readsNodes(storeRefinesKv<ProtocolState, Event>(store), (from, to) => store(from) === store(to))
