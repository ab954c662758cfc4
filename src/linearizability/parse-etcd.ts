/**
 * Jepsen's etcd logs, as in Porcupine's test data (a CAS register; see
 * ../shared/data/porcupine/README.md). One event per line, fields split on white space:
 *
 *   INFO  jepsen.util - <process> <:invoke|:ok|:fail|:info> <:read|:write|:cas> <nil|n|[from to]|:timed-out>
 *
 * Time is the line number. A return closes the open call of its process. `:info` leaves the
 * operation open: it may or may not take effect, later or never (return +infinity, result unknown);
 * so do calls still open at the end. `:fail :read :timed-out` returns with an unknown result;
 * `:fail :cas` is a CAS that happened and did not swap.
 */
import type { RegisterInput, RegisterOutput } from "../../spec/register.ts"
import { excerpt, HistoryParseError } from "./errors.ts"
import type { History, Operation } from "./history.ts"

interface Open {
  readonly line: number
  readonly f: string
  readonly input: RegisterInput
}

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*?)\s*$/
const INT = /^-?\d+$/
const PAIR = /^\[\s*(-?\d+)\s+(-?\d+)\s*\]$/

/** An integer field, exactly: beyond 2^53 Number() rounds, and distinct values would compare equal. */
const exact = (text: string, line: number): number => {
  const n = Number(text)
  if (!Number.isSafeInteger(n)) throw new HistoryParseError(line, "an integer within ±(2^53 - 1)", excerpt(text))
  return n
}

export const parseEtcdLog = (text: string): History<RegisterInput, RegisterOutput> => {
  const ops: Array<Operation<RegisterInput, RegisterOutput>> = []
  const open = new Map<number, Open>()
  const lines = text.split("\n")
  lines.forEach((raw, i) => {
    const line = i + 1
    if (raw.trim() === "") return
    const m = LINE.exec(raw)
    if (!m) throw new HistoryParseError(line, "INFO  jepsen.util - <process> <type> <f> <value>", excerpt(raw))
    const [, proc, type, f, value] = m as unknown as [string, string, string, string, string]
    if (!/^\d+$/.test(proc)) throw new HistoryParseError(line, "a process number", excerpt(proc))
    const process = exact(proc, line)
    if (f !== ":read" && f !== ":write" && f !== ":cas") throw new HistoryParseError(line, ":read, :write or :cas", excerpt(f))
    const pair = PAIR.exec(value)
    if (type === ":invoke") {
      const prior = open.get(process)
      if (prior) throw new HistoryParseError(line, `a return for process ${process}, whose call at line ${prior.line} is still open`, ":invoke")
      let input: RegisterInput
      if (f === ":read") {
        if (value !== "nil") throw new HistoryParseError(line, "nil as the value of a read call", excerpt(value))
        input = { op: "read" }
      } else if (f === ":write") {
        if (!INT.test(value)) throw new HistoryParseError(line, "an integer to write", excerpt(value))
        input = { op: "write", value: exact(value, line) }
      } else {
        if (!pair) throw new HistoryParseError(line, "[from to] for a cas", excerpt(value))
        input = { op: "cas", expected: exact(pair[1]!, line), value: exact(pair[2]!, line) }
      }
      open.set(process, { line, f, input })
      return
    }
    if (type !== ":ok" && type !== ":fail" && type !== ":info") throw new HistoryParseError(line, ":invoke, :ok, :fail or :info", excerpt(type))
    const call = open.get(process)
    if (!call) throw new HistoryParseError(line, `an :invoke for process ${process} before its ${type}`, excerpt(raw))
    if (call.f !== f) throw new HistoryParseError(line, `the return of the ${call.f} called at line ${call.line}`, excerpt(`${type} ${f}`))
    open.delete(process)
    const done = (ret: number | null, output: RegisterOutput | null) =>
      ops.push({ client: process, call: call.line, return: ret, input: call.input, output, line: call.line })
    if (type === ":info") return done(null, null)
    if (type === ":fail" && f === ":read" && value === ":timed-out") return done(line, null)
    if (f === ":cas") {
      if (!pair) throw new HistoryParseError(line, "[from to] for a cas", excerpt(value))
      return done(line, { ok: type === ":ok" })
    }
    if (type === ":fail") throw new HistoryParseError(line, "a :fail only for a cas or a timed-out read", excerpt(raw))
    if (f === ":write") return done(line, {})
    if (value !== "nil" && !INT.test(value)) throw new HistoryParseError(line, "nil or an integer read", excerpt(value))
    done(line, { value: value === "nil" ? null : exact(value, line) })
  })
  for (const [process, call] of open) ops.push({ client: process, call: call.line, return: null, input: call.input, output: null, line: call.line })
  return ops
}
