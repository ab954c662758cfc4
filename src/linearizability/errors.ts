/** A history file that does not parse: where, and what was expected there. */
export class HistoryParseError extends Error {
  readonly _tag = "HistoryParseError"
  constructor(
    readonly line: number,
    readonly expected: string,
    readonly found: string
  ) {
    super(`line ${line}: expected ${expected}, found ${found}`)
    this.name = "HistoryParseError"
  }
}

/** Shows what was found, shortened for a one-line message. */
export const excerpt = (text: string): string => {
  const t = text.trim()
  return t === "" ? "an empty line" : JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}...` : t)
}
