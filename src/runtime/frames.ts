/**
 * Length-prefixed frames: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. A frame
 * longer than the limit cannot be trusted to resynchronise on, so it ends the connection.
 */
export const MAX_FRAME = 64 << 20

export class OversizedFrame extends Error {}

export const frame = (payload: string): Buffer => {
  const n = Buffer.byteLength(payload)
  const out = Buffer.allocUnsafe(4 + n)
  out.writeUInt32BE(n, 0)
  out.write(payload, 4, "utf8")
  return out
}

/** Reassembles frames from a byte stream. */
export class FrameReader {
  private chunks: Buffer[] = []
  private size = 0
  constructor(private readonly max = MAX_FRAME) {}

  /** Adds bytes; returns every complete frame's payload. Throws OversizedFrame on a too-long frame. */
  push(chunk: Buffer): string[] {
    this.chunks.push(chunk)
    this.size += chunk.length
    const out: string[] = []
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size)
    let off = 0
    while (buf.length - off >= 4) {
      const n = buf.readUInt32BE(off)
      if (n > this.max) throw new OversizedFrame(`frame of ${n} bytes exceeds the ${this.max}-byte limit`)
      if (buf.length - off - 4 < n) break
      out.push(buf.toString("utf8", off + 4, off + 4 + n))
      off += 4 + n
    }
    buf = buf.subarray(off)
    this.chunks = buf.length > 0 ? [buf] : []
    this.size = buf.length
    return out
  }
}
