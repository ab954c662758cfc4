/**
 * Named tests whose verdict (and pinned count) paxos.test.ts and primarybackup.test.ts leave to
 * named-tests.slow.test.ts (`npm run test:slow`, run by .ci/run): each costs `npm test` several CPU
 * seconds for a verdict that nothing else in those files reads (bench/test-times.json).
 */
export const SLOW_NAMED_TESTS = {
  // 10,000 simulated operations (the compaction test in paxos.test.ts runs the same at 1,000), and an
  // exhaustive liveness search over 207,472 states that liveness.test.ts also runs in npm test (with its count).
  paxos: ["log-compaction-10000", "live-requests-complete"],
  // live-failover's liveness search over 259,004 states (pinned), and its planted bug's lasso in the same space.
  primarybackup: ["live-failover", "bug-live-retry-no-getview"],
} as const satisfies Record<string, ReadonlyArray<string>>

/** Whether `npm test` runs the named test `name` of `model` (the slow ones run in named-tests.slow.test.ts). */
export const fastNamedTest = (model: keyof typeof SLOW_NAMED_TESTS, name: string): boolean => !(SLOW_NAMED_TESTS[model] as ReadonlyArray<string>).includes(name)
