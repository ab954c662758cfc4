/**
 * Histories: what clients observed. Times are numbers on any scale (event indices, nanoseconds);
 * a call and a return at the same time are taken as concurrent.
 */
export interface Operation<I, O> {
  readonly client: number
  readonly call: number
  /** null: it never returned, so it may take effect at any time after its call, or never. */
  readonly return: number | null
  readonly input: I
  /** null: the result is unknown and any result is accepted. */
  readonly output: O | null
  /** Line of the call in the source file, for messages. */
  readonly line?: number
}

export type History<I, O> = ReadonlyArray<Operation<I, O>>

export type Verdict = "linearizable" | "not-linearizable" | "unknown"

/** A history that cannot be checked as given (e.g. returns before its call). */
export class HistoryError extends Error {
  readonly _tag = "HistoryError"
}

export const validateHistory = (history: History<unknown, unknown>): void => {
  history.forEach((op, i) => {
    const where = op.line === undefined ? `operation ${i}` : `operation at line ${op.line}`
    if (!Number.isFinite(op.call)) throw new HistoryError(`${where}: call time must be a finite number`)
    if (op.return !== null && !(op.return >= op.call)) throw new HistoryError(`${where}: return time must be a number not before its call`)
    if (op.return === null && op.output !== null) throw new HistoryError(`${where}: an operation that never returned has no output`)
  })
}
