/**
 * Which steps of a compiled configuration commute, for partial-order reduction (checker/por.ts).
 * A delivery, a drop and a timer belong to one node (the receiver; the timer's owner): they read and
 * write only that node's record and the network, where they remove at most their own message and
 * only add messages, so steps of two different nodes commute and neither enables nor disables the
 * other. Crashes and restarts belong to their node too, and also draw on the fault budget (a crash
 * may disable another crash, a restart enable one): any two of them depend on each other. A step's key names it across states: the same message (by its hash, which covers
 * sender, receiver and content) delivered or dropped, the same timer of the same node.
 */
import type { Event } from "./compile.ts"
import type { Envelope } from "./world.ts"

export const deliverKey = (env: Envelope): string => `d${env.hi},${env.lo}`
export const dropKey = (env: Envelope): string => `x${env.hi},${env.lo}`
export const timerKey = (node: number, t: number): string => `t${node},${t}`
export const crashKey = (node: number): string => `c${node}`
export const restartKey = (node: number): string => `r${node}`

export const eventKey = (e: Event): string => {
  switch (e.k) {
    case "deliver":
      return deliverKey(e.env)
    case "drop":
      return dropKey(e.env)
    case "timer":
      return timerKey(e.node, e.t)
    case "crash":
      return crashKey(e.node)
    case "restart":
      return restartKey(e.node)
  }
}

/** The node a step belongs to. */
export const actorOf = (e: Event): number => (e.k === "deliver" || e.k === "drop" ? e.env.dst : e.node)

/** Whether a step draws on the fault budget (crash, restart). */
export const faultStep = (e: Event): boolean => e.k === "crash" || e.k === "restart"
