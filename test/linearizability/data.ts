/** Porcupine's histories with known verdicts, in ../shared/data/porcupine from the repository root. */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const repoRoot = new URL("../../", import.meta.url)
export const porcupineDir = fileURLToPath(new URL("../shared/data/porcupine/", repoRoot))

export interface Expected {
  readonly file: string
  readonly model: "etcd" | "kv"
  readonly expected: "linearizable" | "not-linearizable"
}

export const expectedVerdicts = (): Expected[] =>
  readFileSync(porcupineDir + "EXPECTED.tsv", "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [file, model, expected] = line.split("\t") as [string, Expected["model"], Expected["expected"]]
      return { file, model, expected }
    })

export const readHistoryFile = (file: string): string => readFileSync(porcupineDir + file, "utf8")
