/** Which shard a key belongs to: FNV-1a of the key, modulo the number of shards (the same on every node). */
export const keyShard = (key: string, shards: number): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return (h >>> 0) % shards
}
