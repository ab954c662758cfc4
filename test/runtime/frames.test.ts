/** frames(): a batch of payloads in one buffer reads back, split anywhere, as the same payloads in order. */
import test from "ava"
import { frame, FrameReader, frames } from "../../src/runtime/frames.ts"

test("a batch of frames in one buffer is the frames one after the other, and reads back split at any byte", (t) => {
  const payloads = ['{"a":1}', "", "ünïcödé ✓ 𝄞", "x".repeat(300)]
  const batch = frames(payloads)
  t.deepEqual(batch, Buffer.concat(payloads.map(frame)))
  t.deepEqual(frames(["only"]), frame("only"))
  for (let cut = 0; cut <= batch.length; cut++) {
    const r = new FrameReader()
    t.deepEqual([...r.push(batch.subarray(0, cut)), ...r.push(batch.subarray(cut))], payloads)
  }
})

test("a large frame arriving in many chunks is joined once, not at every chunk (a peer's 60 MB frame cost 112 s of the event loop)", (t) => {
  const payload = "x".repeat(1 << 20)
  const whole = frame(payload)
  const concat = Buffer.concat
  let joins = 0
  let copied = 0
  Buffer.concat = ((list: ReadonlyArray<Uint8Array>, total?: number) => {
    joins++
    copied += total ?? list.reduce((a, b) => a + b.length, 0)
    return concat(list, total)
  }) as typeof Buffer.concat
  const got: string[] = []
  try {
    const r = new FrameReader()
    for (let at = 0; at < whole.length; at += 1024) got.push(...r.push(whole.subarray(at, at + 1024)))
  } finally {
    Buffer.concat = concat
  }
  t.deepEqual(got, [payload])
  t.true(copied <= 2 * whole.length, `${joins} joins copied ${copied} bytes for a frame of ${whole.length}`)
})
