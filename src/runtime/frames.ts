/**
 * Length-prefixed frames: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. A frame
 * longer than the limit cannot be trusted to resynchronise on, so it ends the connection.
 */
export const MAX_FRAME = 64 << 20
/**
 * The limit on a client connection's frames: a client sends one command a frame, its value at most
 * 1 MiB (kv's --value-size bound; at most 6 MiB as JSON, were it all control characters). Peers send
 * whole snapshots (MAX_FRAME); a client port open to anyone should not buffer 64 MiB a connection.
 */
export const MAX_CLIENT_FRAME = 8 << 20

export const frame = (payload: string): Buffer => {
  const n = Buffer.byteLength(payload)
  const out = Buffer.allocUnsafe(4 + n)
  out.writeUInt32BE(n, 0)
  out.write(payload, 4, "utf8")
  return out
}

/** Several frames in one buffer (one write for a batch of messages to one peer), each payload copied once. */
export const frames = (payloads: ReadonlyArray<string>): Buffer => {
  if (payloads.length === 1) return frame(payloads[0]!)
  const lengths = payloads.map((p) => Buffer.byteLength(p))
  const out = Buffer.allocUnsafe(lengths.reduce((a, n) => a + 4 + n, 0))
  let at = 0
  payloads.forEach((p, i) => {
    out.writeUInt32BE(lengths[i]!, at)
    at += 4 + out.write(p, at + 4, "utf8")
  })
  return out
}

/**
 * Reassembles frames from a byte stream. Chunks are joined only once they hold the frame under way
 * (`need`): joining at every chunk made a large frame cost its size times its chunk count (60 MB in
 * 64 KB chunks: 112 s of the event loop, any peer or client could send one).
 */
export class FrameReader {
  private chunks: Buffer[] = []
  private size = 0
  /** Bytes the buffered data must reach before a frame can complete (a header's 4, or a frame's whole length). */
  private need = 4
  constructor(private readonly max = MAX_FRAME) {}

  /** Set once a frame longer than the limit was announced; nothing after it is read. */
  oversized: string | undefined

  /** Adds bytes; returns the payload of every complete frame before any oversized one. */
  push(chunk: Buffer): string[] {
    if (this.oversized) return []
    this.chunks.push(chunk)
    this.size += chunk.length
    if (this.size < this.need) return []
    const out: string[] = []
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size)
    let off = 0
    this.need = 4
    while (buf.length - off >= 4) {
      const n = buf.readUInt32BE(off)
      if (n > this.max) {
        this.oversized = `frame of ${n} bytes exceeds the ${this.max}-byte limit`
        break
      }
      if (buf.length - off - 4 < n) {
        this.need = 4 + n
        break
      }
      out.push(buf.toString("utf8", off + 4, off + 4 + n))
      off += 4 + n
    }
    buf = buf.subarray(off)
    this.chunks = buf.length > 0 ? [buf] : []
    this.size = buf.length
    return out
  }
}
