/** Raft scoring like a course simulator: traffic, latency, failed requests, duplicate responses. */
import { raftScores } from "../src/protocols/raft/scores.ts"

export async function benchRaft(seed = 1): Promise<object> {
  return raftScores(seed)
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchRaft(), null, 2))
