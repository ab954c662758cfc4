/** The exactly-once server's store refines spec/kv: every protocol step is one KV operation or a stutter. */
import { kvStepOf, type KvState } from "../../../spec/kv.ts"
import type { AMOState } from "../../core/application.ts"
import type { Event, ProtocolState } from "../../core/compile.ts"
import type { KVState } from "../../core/kv.ts"
import { refines } from "../../refinement/refinement.ts"

/** The abstract store: the server application's map as a record with sorted keys. */
export const abstractStore = (state: AMOState<KVState> | null): KvState =>
  Object.fromEntries([...(state?.app ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

export const refinesKv = (serverIndex = 0) =>
  refines<ProtocolState, Event, KvState>({
    name: "REFINES_KV",
    abs: (w) => abstractStore(w.nodes[serverIndex]!.state as AMOState<KVState> | null),
    spec: { isStep: (a, b) => kvStepOf(a, b) !== undefined },
  })
