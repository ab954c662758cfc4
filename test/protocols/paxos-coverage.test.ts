/**
 * Multi-Paxos's single-server paths (server.ts: a majority of one leads when its election timer fires
 * and decides a command as it proposes it), which no named test executed before
 * (bench/coverage-protocols.ts): with two or more servers the mutated conditions below evaluate as the
 * shipped ones, so every other test passes them. one-server.ts's searches run a lone server (the second
 * crashing and restarting it, as only a restarted lone server holds an election); in a copy of the
 * sources with each mutant (mutant-tree.ts) the goal is never reached, where the shipped server
 * reaches it (models.test.ts runs every named test on the shipped code).
 */
import test from "ava"
import { type Edit, exploreMutated } from "./mutant-tree.ts"

const server = "src/protocols/paxos/server.ts"
const MUTANTS: ReadonlyArray<{ readonly name: string; readonly test: string; readonly edit: Edit }> = [
  {
    name: "lone-server-never-decides",
    test: "one-server-done",
    edit: { file: server, search: "if (majority === 1) return decide(s, slot, command)", replace: "if (majority === 0) return decide(s, slot, command)" },
  },
  {
    name: "lone-server-never-leads-again",
    test: "one-server-restart-done",
    edit: { file: server, search: "return majority === 1 ? becomeLeader(next, ctx) : next", replace: "return majority === 0 ? becomeLeader(next, ctx) : next" },
  },
]

for (const m of MUTANTS)
  test(`paxos ${m.test}: ${m.name} never reaches the goal`, async (t) => {
    const bad = await exploreMutated(m.edit, "src/protocols/paxos/model.ts", "paxosModel", m.test)
    t.is(bad.verdict, "goal-not-found")
  })
