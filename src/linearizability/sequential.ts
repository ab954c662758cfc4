/**
 * Long sequential histories in tla-ts's JSON format (parse-json.ts), for the test and the benchmark
 * that keep parsing and search near-linear: one client after another, no overlap, puts and the gets
 * that read them back on one key. `staleReadAt` plants a bug: that get reads the value before the
 * last put, so the history is not linearizable.
 */
export const sequentialKvHistory = (n: number, options: { readonly staleReadAt?: number } = {}): string => {
  const lines: string[] = []
  let value = ""
  let previous = ""
  for (let i = 0; i < n; i++) {
    const common = `"client":${i % 4},"call":${2 * i},"return":${2 * i + 1}`
    if (i % 2 === 0) {
      previous = value
      value = String(i)
      lines.push(`{${common},"input":{"op":"put","key":"k","value":"${value}"},"output":{}}`)
    } else {
      const read = i === options.staleReadAt ? previous : value
      lines.push(`{${common},"input":{"op":"get","key":"k"},"output":{"value":"${read}"}}`)
    }
  }
  return `{"version":1,"model":"kv","operations":[\n${lines.join(",\n")}\n]}\n`
}
