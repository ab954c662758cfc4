/**
 * Typed handles on the nodes of a configuration: a role reads its node's state with its real type,
 * so properties, refinements and tests never index `w.nodes` and cast. Reach into an embedded
 * component with its handle: `paxos.log.state(role.state(w))`.
 */
import type { Address, NodeDef } from "./node.ts"
import { storedAt } from "./outbox.ts"
import type { World } from "./world.ts"

export interface Role<S> {
  readonly address: Address
  /** Position of the node in the configuration (servers first, then clients). */
  readonly index: number
  /** The node's live state; undefined while it is crashed. */
  readonly state: (w: World) => S | undefined
  readonly up: (w: World) => boolean
  /** What the component at `path` ("" for the node itself) persisted last. */
  readonly stored: (w: World, path?: string) => unknown
}

/** The role of the node at `index`, typed by its definition. */
export const role = <S>(index: number, address: Address, _def: NodeDef<S, any, any, any>): Role<S> => ({
  address,
  index,
  state: (w) => {
    const n = w.nodes[index]!
    return n.up ? (n.state as S) : undefined
  },
  up: (w) => w.nodes[index]!.up,
  stored: (w, path = "") => storedAt(w.nodes[index]!.durable, path),
})

/** Roles for nodes that share one definition, placed from `offset` in the configuration. */
export const roles = <S>(addresses: ReadonlyArray<Address>, def: NodeDef<S, any, any, any>, offset = 0): Array<Role<S>> =>
  addresses.map((a, i) => role(offset + i, a, def))
