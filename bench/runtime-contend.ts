/**
 * Contention for the runtime benches, the same for every system measured beside it: N busy-loop child
 * processes (each wants a whole core) and, optionally, a disk writer that writes K KiB and fdatasyncs
 * it in a loop, in a file of the temporary directory (the file system of the nodes' and etcd's data).
 * Each child runs at the bench's own nice level in a session of its own (setsid), as another user's
 * program would: with the kernel's autogroup scheduling (on here) a session's processes share one
 * group's CPU share, so busy loops left in the bench's session would starve its client and any node in
 * that session while sparing etcd's members, which kvload's cluster.sh starts each in a session of its
 * own (issue 11: a lone put's tail under contention). Started once, before the rounds, stopped at the
 * end: every point of every system runs under the same load, turn by turn.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { killedWithThisProcess } from "../src/runtime/jepsen.ts"

export interface ContendOptions {
  /** Busy-loop processes. */
  readonly cpus: number
  /** KiB written then fdatasync'ed per turn of the disk writer (0: no disk writer). */
  readonly diskKiB: number
}

/** The disk writer: K KiB at a time, fdatasync'ed, cycling over 64 MiB of one file (disk use stays bounded). */
const DISK_WRITER = `
const fs = require("fs"); const [file, kib] = process.argv.slice(1); const b = Buffer.alloc(Number(kib) * 1024, 120);
const fd = fs.openSync(file, "w"); let pos = 0;
for (;;) { fs.writeSync(fd, b, 0, b.length, pos); fs.fdatasyncSync(fd); pos = (pos + b.length) % (64 << 20) }`

export interface Contention {
  readonly options: ContendOptions
  stop(): Promise<void>
}

export const contend = (o: ContendOptions): Contention => {
  const kids: ChildProcess[] = []
  for (let i = 0; i < o.cpus; i++) kids.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore", detached: true }))
  const dir = o.diskKiB > 0 ? mkdtempSync(join(tmpdir(), "tla-ts-contend-")) : undefined
  if (dir) kids.push(spawn(process.execPath, ["-e", DISK_WRITER, join(dir, "fill"), String(o.diskKiB)], { stdio: "ignore", detached: true }))
  // In sessions of their own, so the terminal's Ctrl-C does not reach them: they die with the bench.
  kids.forEach(killedWithThisProcess)
  return {
    options: o,
    stop: async () => {
      await Promise.all(
        kids.map(
          (k) =>
            new Promise<void>((r) => {
              if (k.exitCode !== null || k.signalCode !== null) return r()
              k.once("exit", () => r())
              k.kill("SIGKILL")
            })
        )
      )
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** `--contend N[,K]`: N busy loops and, with K, a disk writer of K KiB per fdatasync. */
export const parseContend = (v: string | undefined): ContendOptions | undefined => {
  if (v === undefined) return undefined
  const m = /^(\d+)(?:,(\d+))?$/.exec(v)
  if (!m) throw new Error(`--contend must be N or N,KIB (busy loops, KiB per fdatasync of a disk writer), got "${v}"`)
  return { cpus: Number(m[1]), diskKiB: Number(m[2] ?? 0) }
}
