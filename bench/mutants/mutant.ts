/**
 * A mutant: a small edit of a shipped protocol, of the kind people make, that a named test should
 * catch. Each edit replaces one exact text, which must occur exactly once in its file (so a catalogue
 * that no longer matches the sources fails loudly instead of testing the unmutated protocol).
 */
export interface Edit {
  /** Path from the repository root, e.g. "src/protocols/paxos/server.ts". */
  readonly file: string
  readonly search: string
  readonly replace: string
}

export interface Mutant {
  readonly name: string
  /** What the mistake is, as a reviewer would describe it. */
  readonly description: string
  readonly edits: ReadonlyArray<Edit>
  /** Why no test can catch it, when review shows it behaves like the original (an equivalent mutant). */
  readonly equivalent?: string
}

/** Applies `edits` to file contents read by `read`; throws when a search text is missing or ambiguous. */
export const applyEdits = (edits: ReadonlyArray<Edit>, read: (file: string) => string): Map<string, string> => {
  const out = new Map<string, string>()
  for (const e of edits) {
    const text = out.get(e.file) ?? read(e.file)
    const at = text.indexOf(e.search)
    if (at < 0) throw new Error(`${e.file}: text not found: ${JSON.stringify(e.search.slice(0, 80))}`)
    if (text.indexOf(e.search, at + 1) >= 0) throw new Error(`${e.file}: text occurs more than once: ${JSON.stringify(e.search.slice(0, 80))}`)
    out.set(e.file, text.slice(0, at) + e.replace + text.slice(at + e.search.length))
  }
  return out
}

/**
 * The one-edit form the Raft and primary-backup catalogues use (run-raft.ts): a mutant of one file,
 * described by the bug a person would have made.
 */
export interface FileMutant {
  readonly name: string
  /** What a person would have got wrong, in a sentence. */
  readonly bug: string
  /** The file, relative to the repository root. */
  readonly file: string
  readonly search: string
  readonly replace: string
  /** Why no test can catch it, when review shows it behaves like the original (an equivalent mutant). */
  readonly equivalent?: string
}

/** The file's text with the mutant applied (the same exactly-once rule as `applyEdits`). */
export const applyMutant = (text: string, m: FileMutant): string => {
  try {
    return applyEdits([m], () => text).get(m.file)!
  } catch (e) {
    throw new Error(`mutant ${m.name}: ${(e as Error).message}`)
  }
}

/** One named test's run on a mutant (run.ts, run-raft.ts, paxos-inprocess.ts). */
export interface TestRun {
  readonly test: string
  /** Passed: the verdict the test expects. Caught: any other verdict or an error exit. */
  readonly outcome: "passed" | "caught" | "crashed" | "timeout"
  readonly verdict?: string
  readonly property?: string
  readonly traceLength?: number
  readonly seconds: number
  /** CPU seconds, where the runner measures them (in process). */
  readonly cpuSeconds?: number
}
