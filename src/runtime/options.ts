/** Parsing the runtime commands' shared arguments: protocols, peer lists, cluster addresses. */
import type { Address } from "../core/node.ts"
import { PROTOCOLS, type Service, SERVICES } from "./services.ts"
import { AddressError, type Endpoint, parseEndpoint } from "./transport.ts"

export const serviceFlag = (v: string | undefined): Service => {
  if (v === undefined) throw new AddressError(`--protocol is required (${PROTOCOLS.join(" or ")})`)
  const s = SERVICES[v]
  if (!s) throw new AddressError(`--protocol must be ${PROTOCOLS.join(" or ")}, got "${v}"`)
  return s
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/

/** `ID=HOST:PORT,...` */
export const peersFlag = (v: string | undefined): Map<Address, Endpoint> => {
  if (!v) throw new AddressError("--peers is required: ID=HOST:PORT,... naming every server, this one included")
  const out = new Map<Address, Endpoint>()
  for (const part of v.split(",")) {
    const m = /^([^=]*)=(.*)$/.exec(part.trim())
    if (!m) throw new AddressError(`--peers entries must look like ID=HOST:PORT, got "${part}"`)
    if (!ID.test(m[1]!)) throw new AddressError(`--peers: "${m[1]}" is not a valid id (letters, digits, _ . -, at most 64)`)
    if (out.has(m[1]!)) throw new AddressError(`--peers names ${m[1]} twice`)
    out.set(m[1]!, parseEndpoint(m[2]!, `--peers address of ${m[1]}`))
  }
  return out
}

/** `HOST:PORT,...` */
export const clusterFlag = (v: string | undefined): Endpoint[] => {
  if (!v) throw new AddressError("--cluster is required: HOST:PORT,... (the nodes' client addresses)")
  return v.split(",").map((s) => parseEndpoint(s, "--cluster address"))
}

export const isValidId = (id: string): boolean => ID.test(id)
