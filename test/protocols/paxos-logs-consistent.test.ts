import test from "ava"
import { commandKey, logsConsistent, type Replica } from "../../src/protocols/paxos/properties.ts"
import type { World } from "../../src/core/world.ts"

/** LOGS_CONSISTENT as it was written with a map of slots per state (before speed18): the reference. */
const reference =
  (group: ReadonlyArray<Replica>) =>
  (w: World): string | undefined => {
    const seen = new Map<number, { by: string; text: string }>()
    for (const r of group) {
      const s = r.log(w)
      if (!s) continue
      for (const [slot, e] of s.log) {
        if (!e.chosen || slot < s.cleared) continue
        const text = commandKey(e.command)
        const other = seen.get(slot)
        if (other && other.text !== text) return `slot ${slot}: ${other.by} chose ${other.text}, ${r.name} chose ${text}`
        if (!other) seen.set(slot, { by: r.name, text })
      }
    }
    return undefined
  }

test("LOGS_CONSISTENT: the same verdicts and messages as the map-per-state reference on random logs of three replicas (some down, some slots cleared)", (t) => {
  let seed = 7
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return (seed >>> 8) % n
  }
  // Each "world" is the replicas' states themselves; a replica reads its own.
  const group: Replica[] = [0, 1, 2].map((j) => ({ name: `server${j + 1}`, log: (w: World) => (w as unknown as ReadonlyArray<never>)[j] }))
  const property = logsConsistent(group)
  const expected = reference(group)
  let violations = 0
  for (let i = 0; i < 5000; i++) {
    const w = [0, 1, 2].map(() => {
      if (rnd(6) === 0) return undefined
      const log = new Map<number, unknown>()
      for (let k = rnd(6); k > 0; k--)
        log.set(rnd(6), { chosen: rnd(3) > 0, command: rnd(4) === 0 ? { _tag: "Noop" } : { _tag: "AMOCommand", client: `c${rnd(2)}`, seq: rnd(2) } })
      return { log, cleared: rnd(3) }
    }) as unknown as World
    const want = expected(w)
    if (want !== undefined) violations++
    t.is(property.explain!(w), want)
    t.is(property.holds(w), want === undefined)
  }
  t.true(violations > 500, `${violations} violations`)
})
