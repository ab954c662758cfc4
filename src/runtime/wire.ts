/**
 * What travels in a frame. Between servers: a hello naming the sender, then envelopes `{f, t, m}`
 * (from: the sender or one of its components, to, message). On a server's client port: the client's hello, the server's answer naming itself, the
 * protocol and every server, then envelopes `{f, t, m}` both ways. Every payload is untrusted: a bad
 * one is a DecodeError naming what is wrong.
 */
import type { Address, Tagged } from "../core/node.ts"
import { DecodeError, fromJson, isTaggedInstance, type Registry, toJsonText } from "./codec.ts"

export interface Envelope {
  readonly from?: Address
  readonly to: Address
  readonly msg: Tagged
}

export const encodeEnvelope = (to: Address, msg: Tagged, from?: Address): string =>
  `{${from === undefined ? "" : `"f":${JSON.stringify(from)},`}"t":${JSON.stringify(to)},"m":${toJsonText(msg, false)}}`

const MAX_ADDRESS = 256

const parse = (payload: string): Record<string, unknown> => {
  let j: unknown
  try {
    j = JSON.parse(payload)
  } catch {
    throw new DecodeError(`not JSON (${payload.length} bytes)`)
  }
  if (typeof j !== "object" || j === null || Array.isArray(j)) throw new DecodeError("not a JSON object")
  return j as Record<string, unknown>
}

const address = (v: unknown, what: string): Address => {
  if (typeof v !== "string" || v.length === 0 || v.length > MAX_ADDRESS) throw new DecodeError(`${what} is not an address`)
  return v
}

/** Decodes an envelope; with `tags`, only those message tags are accepted. */
export const decodeEnvelope = (payload: string, registry: Registry, withFrom: boolean, tags?: ReadonlySet<string>): Envelope => envelopeOf(parse(payload), registry, withFrom, tags)

const envelopeOf = (o: Record<string, unknown>, registry: Registry, withFrom: boolean, tags?: ReadonlySet<string>): Envelope => {
  const to = address(o.t, "t (to)")
  const from = withFrom ? address(o.f, "f (from)") : undefined
  const m = o.m as { _tag?: unknown } | undefined
  if (typeof m !== "object" || m === null || typeof m._tag !== "string") throw new DecodeError("m is not a tagged message")
  if (tags && !tags.has(m._tag)) throw new DecodeError(`message ${JSON.stringify(m._tag.slice(0, 40))} is not accepted here`)
  const msg = fromJson(m, registry, false)
  if (typeof msg !== "object" || msg === null || !isTaggedInstance(msg)) throw new DecodeError("m is not a tagged message")
  return from === undefined ? { to, msg } : { from, to, msg }
}

export interface PeerHello {
  /** `client`: the sender's client address (HOST:PORT), so that nodes can tell clients of each other. */
  readonly hello: { readonly id: Address; readonly protocol: string; readonly client?: string }
}
export interface ClientHello {
  readonly hello: { readonly client: true }
}
export interface ServerInfo {
  readonly node: Address
  readonly protocol: string
  readonly servers: ReadonlyArray<Address>
  /** The client addresses (HOST:PORT) of the servers this one knows them of. */
  readonly clients?: Readonly<Record<Address, string>>
  /** Milliseconds per protocol time unit on this cluster. */
  readonly timeUnit?: number
}

export const peerHello = (id: Address, protocol: string, client?: string): string =>
  JSON.stringify({ hello: { id, protocol, ...(client ? { client } : {}) } } satisfies PeerHello)
export const clientHello = (): string => JSON.stringify({ hello: { client: true } } satisfies ClientHello)
export const serverInfo = (info: ServerInfo): string => JSON.stringify(info)

export const decodePeerHello = (payload: string): PeerHello["hello"] => {
  const h = parse(payload).hello as Record<string, unknown> | undefined
  if (typeof h !== "object" || h === null) throw new DecodeError("expected a hello")
  const client = typeof h.client === "string" && h.client.length <= MAX_ADDRESS ? h.client : undefined
  return { id: address(h.id, "hello.id"), protocol: String(h.protocol), ...(client ? { client } : {}) }
}

export const isClientHello = (payload: string): boolean => {
  const h = parse(payload).hello as Record<string, unknown> | undefined
  return typeof h === "object" && h !== null && h.client === true
}

/** A frame from a server to a client: its description (first, and again when it learns more) or an envelope. */
const isInfo = (o: Record<string, unknown>): boolean => "node" in o && !("m" in o)

/**
 * A frame a client receives, parsed once: the server's description (the first frame on a connection,
 * or one that looks like it) or an envelope, decoded with `registry` (known once a description came).
 */
export const decodeServerFrame = (payload: string, first: boolean, registry: Registry | undefined): { readonly info: ServerInfo } | { readonly env: Envelope } => {
  const o = parse(payload)
  if (first || isInfo(o)) return { info: serverInfoOf(o) }
  if (registry === undefined) throw new DecodeError("an envelope before the server's description")
  return { env: envelopeOf(o, registry, true) }
}

const serverInfoOf = (o: Record<string, unknown>): ServerInfo => {
  if (typeof o.node !== "string" || typeof o.protocol !== "string" || !Array.isArray(o.servers) || !o.servers.every((s) => typeof s === "string"))
    throw new DecodeError("expected the server's description")
  const clients = typeof o.clients === "object" && o.clients !== null ? (o.clients as Record<string, unknown>) : {}
  const known = Object.fromEntries(Object.entries(clients).filter((e): e is [string, string] => typeof e[1] === "string"))
  const timeUnit = typeof o.timeUnit === "number" && o.timeUnit > 0 && o.timeUnit <= 1000 ? o.timeUnit : 1
  return { node: o.node, protocol: o.protocol, servers: o.servers as string[], clients: known, timeUnit }
}
