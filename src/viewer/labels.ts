/**
 * Reads the step labels that protocol systems write (src/core/compile.ts and the timed simulator):
 * `[@T ]deliver A -> B: MSG[ [choose i,j]]`, `drop A -> B: MSG`, `@T lost (why) A -> B: MSG`,
 * `[@T ]timer N: TIMER`, `crash N`, `restart N`, `@T partition {a,b} {c}`, `@T heal`. Anything else
 * (a spec's action such as `RMPrepare(r1)`) is a plain step.
 */
import type { StepKind } from "./data.ts"

export interface ParsedLabel {
  readonly kind: StepKind
  readonly time?: number
  /** For deliver, drop and lost: the envelope as the network shows it (`A -> B: MSG`). */
  readonly envelope?: string
  readonly from?: string
  readonly to?: string
  /** For timer, crash and restart: the node. */
  readonly node?: string
  readonly groups?: ReadonlyArray<ReadonlyArray<string>>
}

const TIME = /^@(-?\d+(?:\.\d+)?) /
const CHOICE = / \[choose [\d,]+\]$/
const ENVELOPE = /^(\S+) -> (\S+): /

const envelope = (kind: StepKind, text: string, time: number | undefined): ParsedLabel => {
  const env = text.replace(CHOICE, "")
  const m = ENVELOPE.exec(env)
  if (!m) return { kind: "step", ...(time !== undefined ? { time } : {}) }
  return { kind, envelope: env, from: m[1]!, to: m[2]!, ...(time !== undefined ? { time } : {}) }
}

export const parseLabel = (label: string): ParsedLabel => {
  const t = TIME.exec(label)
  const time = t ? Number(t[1]) : undefined
  const rest = t ? label.slice(t[0].length) : label
  const at = time !== undefined ? { time } : {}
  let m: RegExpExecArray | null
  if ((m = /^deliver ([\s\S]*)$/.exec(rest))) return envelope("deliver", m[1]!, time)
  if ((m = /^drop ([\s\S]*)$/.exec(rest))) return envelope("drop", m[1]!, time)
  if ((m = /^lost \([^)]*\) ([\s\S]*)$/.exec(rest))) return envelope("lost", m[1]!, time)
  if ((m = /^timer ([^:\s]+): /.exec(rest))) return { kind: "timer", node: m[1]!, ...at }
  if ((m = /^(crash|restart) (\S+)/.exec(rest)) && !m[2]!.startsWith("(")) return { kind: m[1] as "crash" | "restart", node: m[2]!, ...at }
  if ((m = /^partition (.*)$/.exec(rest)))
    return { kind: "partition", groups: [...m[1]!.matchAll(/\{([^}]*)\}/g)].map((g) => g[1]!.split(",").filter((a) => a !== "")), ...at }
  if (rest === "heal") return { kind: "heal", ...at }
  return { kind: "step", ...at }
}

/** The lifeline that takes a step: the receiver of a delivery, the node of a timer, crash or restart,
 * else what the system says; drops, losses and partitions are the network's doing, no node's. */
export const actorOf = (p: ParsedLabel, fallback: () => string | undefined): string | undefined =>
  p.kind === "deliver" ? p.to : p.envelope !== undefined || p.kind === "partition" || p.kind === "heal" ? undefined : (p.node ?? fallback())
