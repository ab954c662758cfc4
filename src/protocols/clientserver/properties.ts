/** Exactly-once client/server: the dedup table stays bounded. */
import { invariant } from "../../checker/transition-system.ts"
import type { ProtocolState } from "../../core/compile.ts"
import type { Config } from "../../core/config.ts"
import { theServer } from "./refinement.ts"

/** The dedup table keeps one entry per client, however many operations ran. */
export const dedupBounded = (config: Config) =>
  invariant<ProtocolState>(
    "DEDUP_BOUNDED",
    (w) => (theServer.state(w)?.last.size ?? 0) <= config.clients.length,
    (w) => `server dedup table has ${theServer.state(w)?.last.size} entries for ${config.clients.length} clients`
  )
