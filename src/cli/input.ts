/** Files a command reads: regular files of bounded size only, so an endless or huge input cannot exhaust memory. */
import { statSync } from "node:fs"
import { UsageError } from "../errors.ts"

export const MAX_INPUT_BYTES = 256 * 1024 * 1024

export const checkReadable = (what: string, file: string, max = MAX_INPUT_BYTES): void => {
  let st
  try {
    st = statSync(file)
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  if (!st.isFile()) throw new UsageError(`${what} ${file} is not a regular file`)
  if (st.size > max) throw new UsageError(`${what} ${file} is ${Math.round(st.size / 2 ** 20)} MiB; at most ${Math.round(max / 2 ** 20)} MiB are read`)
}
