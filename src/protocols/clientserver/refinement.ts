/** The exactly-once server's store refines spec/kv: every protocol step is one KV operation or a stutter. */
import type { AMOState } from "../../core/application.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { KVState } from "../../core/kv.ts"
import { refinesKv as storeRefinesKv } from "../../core/kv-refinement.ts"

export const refinesKv = (serverIndex = 0) =>
  storeRefinesKv<ProtocolState, Event>((w) => (w.nodes[serverIndex]!.state as AMOState<KVState> | null)?.app)
