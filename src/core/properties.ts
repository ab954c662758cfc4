/** Properties every client/server configuration can use, over the world the DSL builds. */
import { goal, invariant, type StateProperty } from "../checker/transition-system.ts"
import type { Config } from "./config.ts"
import type { ProtocolState } from "./compile.ts"
import { show } from "./show.ts"
import type { Tagged } from "./node.ts"
import { type ClientProgress, resultsOf, type World } from "./world.ts"
import { fingerprintValue } from "../checker/hash.ts"
import { newFingerprint } from "../checker/transition-system.ts"

const x = newFingerprint()
const y = newFingerprint()
/** Equal as data (same canonical fingerprint), however the two values were built. */
export const sameData = (a: unknown, b: unknown): boolean => {
  fingerprintValue(a, x)
  fingerprintValue(b, y)
  return x.hi === y.hi && x.lo === y.lo
}

/** Goal: every client has finished its workload. */
export const clientsDone = <W extends World = ProtocolState>(): StateProperty<W> => goal("CLIENTS_DONE", allClientsDone)
export const allClientsDone = (w: World): boolean => w.nodes.every((n) => !n.client || !n.client.pending)

/**
 * Invariant: every result a client received equals the expected one its workload names. Results are
 * only ever appended and every state on a path is checked, so checking each client's newest result
 * suffices (and keeps long simulations linear).
 */
export const resultsOk = (config: Config): StateProperty<ProtocolState> => {
  const offset = config.servers.length
  const n = config.clients.length
  // Each client's verdict reads its own progress alone, which is immutable and recurs across many
  // states (every step of another node keeps it): the last one judged is kept per client. (Kept per
  // progress object in a WeakMap, clientserver with 6 clients searched 5-10% slower: its progress
  // objects are per path, so most are new.)
  const lastProgress: Array<ClientProgress | undefined> = new Array(n).fill(undefined)
  const lastWhy: Array<string | undefined> = new Array(n).fill(undefined)
  const clientWhy = (c: number, progress: ClientProgress): string | undefined => {
    const expected = config.clients[c]!.workload.expected
    if (!expected || !progress.results) return undefined
    const k = progress.next - 1
    const got = progress.results.head
    return expected[k] !== undefined && !sameData(expected[k], got) ? `${config.clients[c]!.address}: result ${k + 1} is ${show(got)}, expected ${show(expected[k])}` : undefined
  }
  const check = (w: ProtocolState): string | undefined => {
    for (let c = 0; c < n; c++) {
      const progress = w.nodes[offset + c]!.client!
      if (progress !== lastProgress[c]) {
        lastWhy[c] = clientWhy(c, progress)
        lastProgress[c] = progress
      }
      if (lastWhy[c] !== undefined) return lastWhy[c]
    }
    return undefined
  }
  return invariant("RESULTS_OK", (w) => check(w) === undefined, check)
}

/**
 * DSLabs' APPENDS_LINEARIZABLE: all Append results (which return the key's new value) are consistent
 * with one order: on each key, of any two results one is a prefix of the other, and each ends with
 * the value its client appended.
 */
export const appendsLinearizable = (config: Config): StateProperty<ProtocolState> => {
  const offset = config.servers.length
  const n = config.clients.length
  // The verdict reads the clients' progress alone (immutable, recurring across states, most steps
  // keep every client's): the last tuple judged and its verdict are kept (not every tuple: see above).
  const lastProgress: Array<ClientProgress | undefined> = new Array(n).fill(undefined)
  let lastWhy: string | undefined
  let judged = false
  const check = (w: ProtocolState): string | undefined => {
    let same = judged
    for (let c = 0; c < n; c++) {
      const progress = w.nodes[offset + c]!.client
      if (progress !== lastProgress[c]) {
        same = false
        lastProgress[c] = progress
      }
    }
    if (!same) {
      lastWhy = judge(w)
      judged = true
    }
    return lastWhy
  }
  const judge = (w: ProtocolState): string | undefined => {
    const byKey = new Map<string, string[]>()
    for (let c = 0; c < config.clients.length; c++) {
      const commands = config.clients[c]!.workload.commands
      const got = resultsOf(w.nodes[offset + c]!.client!)
      for (let k = 0; k < got.length; k++) {
        const cmd = commands[k] as Tagged & { key?: string; value?: string }
        const res = got[k] as Tagged & { value?: string }
        if (cmd._tag !== "Append" || res._tag !== "AppendResult") continue
        if (!res.value!.endsWith(cmd.value!)) return `${show(cmd)} returned ${show(res)}, which does not end with its value`
        const list = byKey.get(cmd.key!) ?? []
        list.push(res.value!)
        byKey.set(cmd.key!, list)
      }
    }
    for (const [key, values] of byKey) {
      const sorted = [...values].sort((a, b) => a.length - b.length)
      for (let i = 1; i < sorted.length; i++)
        if (!sorted[i]!.startsWith(sorted[i - 1]!)) return `appends on ${key} returned ${sorted[i - 1]} and ${sorted[i]}: no order explains both`
    }
    return undefined
  }
  return invariant("APPENDS_LINEARIZABLE", (w) => check(w) === undefined, check)
}
