/** A synthetic 10,000-step, 20-node trace (no model needed): a ring of messages, timers, a crash and a partition. */
import type { TraceData, ViewerMessage, ViewerStep } from "../../src/viewer/data.ts"

export const syntheticTrace = (steps = 10_000, nodes = 20): TraceData => {
  const names = Array.from({ length: nodes }, (_, i) => (i < 5 ? `server${i + 1}` : `client${i - 4}`))
  const paths: string[][] = names.flatMap((n) => [["nodes", n, "up"], ["nodes", n, "state", "count"]])
  const counts = new Array<number>(nodes).fill(0)
  const messages: ViewerMessage[] = []
  const list: ViewerStep[] = []
  for (let i = 1; i <= steps; i++) {
    const to = i % nodes
    const from = (i + nodes - 1) % nodes
    const msg = messages.length
    messages.push({ from: names[from]!, to: names[to]!, text: `Token(n=${i})`, sent: i - 1, deliveries: [i], end: i, endKind: "delivered" })
    const before = counts[to]!
    counts[to] = before + 1
    list.push({ label: `@${i} deliver ${names[from]} -> ${names[to]}: Token(n=${i})`, kind: "deliver", actor: names[to]!, time: i, msg, ops: [[to * 2 + 1, String(before), String(before + 1)]] })
  }
  return {
    title: "synthetic",
    model: "synthetic",
    params: {},
    strategy: "random",
    verdict: "goal-found",
    property: "DONE",
    outcome: { kind: "goal", property: "DONE", step: steps },
    nodes: names,
    paths,
    initial: names.flatMap((_, k) => [[k * 2, null, "true"], [k * 2 + 1, null, "0"]] as const),
    steps: list,
    messages,
    timers: [],
    downtimes: [{ node: "server2", from: 100, to: 200 }],
    partitions: [{ groups: [names.slice(0, 3), names.slice(3)], from: 50, to: 300 }],
    notes: [],
  }
}
