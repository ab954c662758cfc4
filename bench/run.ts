/** `npm run bench`: every benchmark, one JSON document on stdout. Pass names to run only some. */
const BENCHES: Record<string, () => Promise<object>> = {
  core: async () => (await import("./core.ts")).benchCore(),
  twophase: async () => (await import("./twophase.ts")).benchTwoPhase(),
  "parallel-protocol": async () => (await import("./parallel-protocol.ts")).benchParallelProtocol(),
  simulation: async () => (await import("./simulation.ts")).benchSimulation(),
  paxos: async () => (await import("./paxos.ts")).benchPaxos(),
  raft: async () => (await import("./raft.ts")).benchRaft(),
  "protocols-bfs": async () => (await import("./protocols-bfs.ts")).benchProtocolsBfs(),
  lincheck: async () => (await import("./lincheck.ts")).benchLincheck(),
  startup: async () => (await import("./startup.ts")).benchStartup(),
  // Three alternating rounds: the ratios are medians, as in the recorded runs (bench/runtime-etcd-*.json); one round on a shared machine is one noisy sample.
  runtime: async () => (await import("./runtime.ts")).benchRuntime({ rounds: 3 }),
  "plain-twophase": async () => (await import("./plain-twophase.ts")).benchPlainTwoPhase(),
  "planted-searches": async () => (await import("./planted-searches.ts")).benchPlantedSearches(),
  txn: async () => (await import("./txn.ts")).benchTxn(),
  "txn-sim": async () => (await import("./txn-sim.ts")).benchTxnSim(),
  "txn-short-traces": async () => (await import("./txn-short-traces.ts")).benchTxnShortTraces(),
  shardkv: async () => (await import("./shardkv.ts")).benchShardKv(),
  reductions: async () => (await import("./reductions.ts")).benchReductions(),
}

const wanted = process.argv.slice(2)
for (const w of wanted) if (!(w in BENCHES)) {
  console.error(`bench: unknown benchmark "${w}" (known: ${Object.keys(BENCHES).join(", ")})`)
  process.exit(2)
}
const out: Record<string, unknown> = { node: process.version, date: new Date().toISOString() }
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue
  process.stderr.write(`bench: ${name}...\n`)
  out[name] = await run()
}
console.log(JSON.stringify(out, null, 1))
