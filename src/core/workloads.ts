/** Workload generators for KV clients, with the results a sequential execution gives. */
import type { Workload } from "./config.ts"
import { append, get, kvStore, put, type KVCommand, type KVResult } from "./kv.ts"
import type { Tagged } from "./node.ts"

/** Expected results of running `commands` alone against an empty store (valid when keys are private). */
export const sequentialResults = (commands: ReadonlyArray<KVCommand>): KVResult[] => {
  let s = kvStore.init()
  return commands.map((c) => {
    const [r, next] = kvStore.execute(s, c)
    s = next
    return r
  })
}

/** `n` commands cycling put / append / get on the client's own key; results known in advance. */
export const privateKeyWorkload = (client: string, n: number): Workload => {
  const key = `key-${client}`
  const commands: KVCommand[] = []
  for (let i = 0; i < n; i++) {
    const k = i % 3
    commands.push(k === 0 ? put(key, `${client}.${i}`) : k === 1 ? append(key, `+${i}`) : get(key))
  }
  return { commands, expected: sequentialResults(commands) }
}

/** `n` appends of unique values to one shared key (checked by APPENDS_LINEARIZABLE). */
export const appendWorkload = (client: string, n: number, key = "shared"): Workload => ({
  commands: Array.from({ length: n }, (_, i): Tagged => append(key, `${client}.${i};`)),
})
