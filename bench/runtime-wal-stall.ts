/**
 * `node --import tsx bench/runtime-wal-stall.ts [--records N] [--rounds R]`
 *
 * Why the runtime's WAL writes leave the event loop while an fdatasync is under way (runtime/storage.ts
 * queueWrite): 700-byte records appended to a file zeroed ahead, two fdatasyncs in flight as the storage
 * keeps them under load, each record written either on the event loop (writeSync) or through the thread
 * pool (write), alternating in one run. Prints, per round and mode, records per second and the event
 * loop's time per record write (p50, p99, max, and how many took over 1 ms): a writeSync into a page the
 * disk is still writing back waits for it, and a node's every socket waits with it.
 */
import { openSync, closeSync, fdatasync, mkdtempSync, rmSync, write, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"

const RECORD = 700
const IN_FLIGHT = 2

const round3 = (x: number) => Number(x.toFixed(3))

const run = async (file: string, mode: "sync" | "async", records: number) => {
  const fd = openSync(file, "w+")
  const zeroes = (records + 10) * RECORD
  writeSync(fd, Buffer.alloc(zeroes), 0, zeroes, 0)
  const rec = Buffer.alloc(RECORD, 1)
  const times: number[] = []
  let at = 0
  let inFlight = 0
  let n = 0
  const t0 = performance.now()
  await new Promise<void>((done) => {
    const step = () => {
      if (n >= records) {
        if (inFlight === 0) done()
        return
      }
      if (inFlight >= IN_FLIGHT) return
      n++
      inFlight++
      const synced = () => {
        inFlight--
        step()
      }
      const t = performance.now()
      if (mode === "sync") {
        writeSync(fd, rec, 0, RECORD, at)
        times.push(performance.now() - t)
        fdatasync(fd, synced)
      } else {
        write(fd, rec, 0, RECORD, at, () => fdatasync(fd, synced))
        times.push(performance.now() - t)
      }
      at += RECORD
      setImmediate(step)
    }
    step()
  })
  const elapsed = performance.now() - t0
  closeSync(fd)
  times.sort((a, b) => a - b)
  return {
    mode,
    recordsPerS: Math.round(records / (elapsed / 1000)),
    loopMsPerWrite: { p50: round3(times[times.length >> 1]!), p99: round3(times[Math.floor(times.length * 0.99)]!), max: round3(times[times.length - 1]!) },
    over1ms: times.filter((x) => x > 1).length,
  }
}

const { values } = parseArgs({ options: { records: { type: "string" }, rounds: { type: "string" } } })
const records = Number(values.records ?? 2000)
const dir = mkdtempSync(join(tmpdir(), "tla-ts-wal-stall-"))
try {
  const rounds = []
  for (let r = 0; r < Number(values.rounds ?? 3); r++) for (const mode of ["sync", "async"] as const) rounds.push(await run(join(dir, `wal-${mode}`), mode, records))
  console.log(JSON.stringify({ records, inFlight: IN_FLIGHT, rounds }, null, 1))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
