/** The golden-file runner itself: it fails on a wrong expectation, rewrites, and rejects bad scripts. */
import test from "ava"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { InteractionError, runScript } from "../../src/core/interaction.ts"
import { diffBag, diffFlat, flatten } from "../../src/core/state-diff.ts"
import { raftConfig } from "../../src/protocols/raft/scenarios.ts"
import { kvWorkloads, setups } from "./setups.ts"

const here = dirname(fileURLToPath(import.meta.url))
const election = readFileSync(join(here, "raft", "election.txt"), "utf8")
const raft = setups.raft!

test("a golden file passes as written", (t) => {
  const r = runScript(election, raft)
  t.deepEqual(r.mismatches, [])
  t.is(r.rendered, election)
})

test("a wrong expected line is a mismatch at its command (the runner can fail)", (t) => {
  const planted = election.replace("s1.log.role: follower -> candidate", "s1.log.role: follower -> leader")
  t.not(planted, election)
  const r = runScript(planted, raft)
  t.is(r.mismatches.length, 1)
  t.is(r.mismatches[0]!.command, "tick s1 ElectionTimer")
  t.regex(r.mismatches[0]!.expected, /follower -> leader/)
  t.regex(r.mismatches[0]!.actual, /follower -> candidate/)
  t.is(r.rendered, election) // what TLA_TS_REWRITE=1 would write back
})

test("a planted protocol bug changes the story: Raft committing an old term's entry (figure 8)", (t) => {
  const story = readFileSync(join(here, "raft", "crash-restart.txt"), "utf8")
  const buggy = runScript(story, (o) => raftConfig({ servers: 3, workloads: kvWorkloads(o), server: { bugCommitOldTerms: true } }))
  t.true(buggy.mismatches.length > 0)
  // The new leader of term 2 counts entry 1 (term 1) committed at once, where correct Raft waits.
  t.regex(buggy.mismatches[0]!.actual, /s2\.log\.commitIndex: 0 -> 1/)
  t.notRegex(buggy.mismatches[0]!.expected, /s2\.log\.commitIndex/)
})

test("a missing network line is a mismatch too", (t) => {
  const planted = election.replace("+ net s1/log -> s3/log: RequestVote(t=1,last=0/0)\n", "")
  t.is(runScript(planted, raft).mismatches.length, 1)
})

test("rewriting fills in every output from the commands alone", (t) => {
  const bare = election.replace(/----\n(?:.+\n)+/g, "----\n")
  t.not(bare, election)
  t.is(runScript(bare, raft).rendered, election)
})

test("bad scripts are one clear error with the line", (t) => {
  const bad = (script: string, message: RegExp) => {
    const e = t.throws(() => runScript(script, raft), { instanceOf: InteractionError })
    t.regex(e!.message, message)
  }
  bad("setup\n----\n\ntick s1\n", /line 4: expected "----"/)
  bad("tick s1 ElectionTimer\n----\n", /must begin with "setup"/)
  bad("setup\n----\n\nfly s1\n----\n", /line 4 \(fly s1\): unknown command "fly"/)
  bad("setup\n----\n\ntick s9 ElectionTimer\n----\n", /unknown node "s9"/)
  bad("setup\n----\n\ntick s1 HeartbeatTimer\n----\n", /s1 has no pending HeartbeatTimer/)
  bad("setup\n----\n\ndeliver s2\n----\n", /no message in flight matches "s2"/)
  bad("setup\n----\n\npropose s1\n----\n", /propose: s1 is not a client/)
  bad("setup\n----\n\npropose client1\n----\n\npropose client1\n----\n", /line 7 .*client1 has no command waiting/)
  bad("setup servers=0\n----\n", /servers=0 is not an integer from 1 to 9/)
  bad("setup severs=3\n----\n", /setup: unknown key "severs"/)
  bad("setup\n----\n\ndeliver s1 typ=Request\n----\n", /unknown option "typ"/)
  bad("setup\n----\n\ndeliver s1 n=x\n----\n", /n=x is not a positive integer/)
})

test("the network is diffed as a multiset: copies count, positions do not", (t) => {
  t.deepEqual(diffBag(["a", "b", "a"], ["b", "a", "c"]), ["- a", "+ c"])
  t.deepEqual(diffBag(["x", "y"], ["y", "x"]), [])
  t.deepEqual(diffBag(["m"], ["m", "m"]), ["+ m"])
})

test("states are diffed by field, key and index, never as a whole", (t) => {
  const before = flatten({ role: "follower", log: [{ term: 1 }], votes: new Map([["s1", true]]) }, "", undefined, true)
  const after = flatten({ role: "leader", log: [{ term: 1 }, { term: 2 }], votes: new Map([["s1", true]]) }, "", undefined, true)
  t.deepEqual(diffFlat("s1", before, after), ["s1.log[1]: + {term=2}", "s1.role: follower -> leader"])
  // An empty log that fills up shows its new entries only, not the vanished `[]`.
  t.deepEqual(diffFlat("s1", flatten({ log: [] }, "", undefined, true), flatten({ log: [[1], [2]] }, "", undefined, true)), ["s1.log[0]: + [1]", "s1.log[1]: + [2]"])
})
