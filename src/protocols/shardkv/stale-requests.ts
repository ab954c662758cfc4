/**
 * Old client requests arriving late at the shard groups (group.ts `request`: a request older than the
 * client's last reply is ignored, "stale-request"). The atomic-groups model (system.ts) only ever
 * delivers a client's current request, so no named test executed that branch (bench/coverage-protocols.ts):
 * a dedup table that re-executes anything but the last reply's sequence number passed every test.
 * On the replicated store a stale request can reach the log, by our reading (no search here shows it):
 * a new Raft leader whose applied state lags (it has not yet committed in its term) proposes a late
 * copy of a request its predecessor already executed and answered, behind the client's next request
 * (raft/server.ts `propose` skips only copies of its own term).
 *
 * `staleRequests` wraps the atomic-groups model: besides its steps, any request a client already saw
 * answered is delivered again, to any group, at any later point (its reply goes nowhere: the client has
 * moved on). A group must leave its state as it was; one that executes it again breaks the store's
 * invariants (ServedDataMatchesSpec: an Append applied twice).
 */
import type { NamedTest } from "../../checker/model.ts"
import type { TransitionSystem } from "../../checker/transition-system.ts"
import { shardGroup } from "./group.ts"
import { ClientRequest } from "./messages.ts"
import { clientName, shardStoreSystem, type ShardStoreOptions, type ShardStoreWorld } from "./system.ts"
import { append } from "../../core/kv.ts"
import { join, leave } from "../shardmaster/messages.ts"

export const staleRequests = (options: ShardStoreOptions): TransitionSystem<ShardStoreWorld, string> => {
  const base = shardStoreSystem(options)
  const apps = options.groups.map((group) => shardGroup({ group, shards: options.shards }))
  return {
    ...base,
    name: `${base.name} with stale client requests`,
    successors: (w, emit) => {
      base.successors(w, emit)
      w.clients.forEach((n, c) => {
        for (let k = 0; k < n; k++) {
          const request = new ClientRequest({ client: clientName(c), seq: k + 1, op: options.clients[c]![k]! })
          w.groups.forEach((g, i) => {
            const next = apps[i]!.execute(g, request)[1]
            if (next !== g) emit(`${clientName(c)}'s request ${k + 1} (${request.op._tag}) again @ g${options.groups[i]}`, { ...w, groups: w.groups.map((x, j) => (j === i ? next : x)) })
          })
        }
      })
    },
  }
}

/** Two groups, the key's shard moving from g1 to g2 with its exactly-once table; two Appends; replies may be lost. */
const moving: ShardStoreOptions = { shards: 2, groups: [1, 2], master: [join(1, ["s1"]), join(2, ["s2"]), leave(1)], clients: [[append("a", "x"), append("a", "y"), append("a", "z")]], lostReplies: true }

export const STALE_REQUEST_TESTS = {
  "groups-stale-requests": {
    description:
      "join, join, leave; one client's three Appends, replies may be lost; any request already answered arrives again at either group at any later point: it is ignored, before and after its shard moved (ResultsMatchSpec, ServedDataMatchesSpec)",
    build: () => staleRequests(moving),
    expect: "ok",
  },
} satisfies Record<string, NamedTest>
