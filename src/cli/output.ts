/** Files a command will write, checked before the run so that a long run's result is never lost. */
import { closeSync, existsSync, openSync, rmSync, statSync } from "node:fs"
import { OutputError } from "../errors.ts"

/** Throws an OutputError (one line, exit 2) when `file` cannot be written; leaves no file behind. */
export const checkWritable = (flag: string, file: string): void => {
  const existed = existsSync(file)
  if (existed && statSync(file).isDirectory()) throw new OutputError(`${flag} ${file}: is a directory`)
  try {
    closeSync(openSync(file, "a"))
  } catch (e) {
    throw new OutputError(`${flag} ${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  if (!existed) rmSync(file, { force: true })
}
