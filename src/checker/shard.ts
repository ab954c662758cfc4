/**
 * Splitting sampled searches (random, swarm, pct, coverage) across machines: shard i of n runs the
 * i-th contiguous range of sample indices. Sample j is seeded with hash(seed, j) whatever the shard,
 * so the shards of one seed together run exactly the samples of the unsharded search.
 */
export interface Shard {
  /** 0-based. */
  readonly index: number
  readonly count: number
}

/** Parses "i/n" (1-based i, as a CI matrix counts) into a Shard; undefined when the text is malformed. */
export const parseShard = (text: string): Shard | undefined => {
  const m = /^(\d+)\/(\d+)$/.exec(text)
  if (!m) return undefined
  const i = Number(m[1])
  const n = Number(m[2])
  return n >= 1 && i >= 1 && i <= n ? { index: i - 1, count: n } : undefined
}

/** The sample indices [first, end) of `shard` among `samples`. */
export const shardRange = (samples: number, shard: Shard | undefined): readonly [number, number] =>
  shard ? [Math.floor((samples * shard.index) / shard.count), Math.floor((samples * (shard.index + 1)) / shard.count)] : [0, samples]
