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
