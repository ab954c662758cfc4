/** A short jepsen run of the runtime in a fresh data directory (removed afterwards): 4 clients, seed 5. */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type JepsenOptions, runJepsen } from "../../src/runtime/jepsen.ts"

export const run = async (o: Omit<JepsenOptions, "dir" | "clients" | "seed">) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-faults-"))
  try {
    return await runJepsen({ ...o, dir, clients: 4, seed: 5 })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
