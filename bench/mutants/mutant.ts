/**
 * A mutant: a small edit of a shipped protocol file of the kind people make (one search string, which
 * must occur exactly once, and its replacement). The mutant catalogues beside this file list them per
 * protocol; run-raft.ts applies each to a copy of the tree and runs the protocol's named tests on it.
 */
export interface Mutant {
  readonly name: string
  /** What a person would have got wrong, in a sentence. */
  readonly bug: string
  /** The file, relative to the repository root. */
  readonly file: string
  readonly search: string
  readonly replace: string
}

/** The file's text with the mutant applied, or an error naming why it does not apply. */
export const applyMutant = (text: string, m: Mutant): string => {
  const at = text.indexOf(m.search)
  if (at < 0) throw new Error(`mutant ${m.name}: search text not found in ${m.file}`)
  if (text.indexOf(m.search, at + 1) >= 0) throw new Error(`mutant ${m.name}: search text occurs more than once in ${m.file}`)
  return text.slice(0, at) + m.replace + text.slice(at + m.search.length)
}
