/** `tla-ts replay FILE --json --quiet` in this process: its exit code and its JSON verdict. */
import { main } from "../../src/cli/main.ts"

export const replay = async (file: string) => {
  const lines: string[] = []
  const log = console.log
  console.log = (s: string) => lines.push(s)
  try {
    const code = await main(["replay", file, "--json", "--quiet"])
    return { code, out: JSON.parse(lines[lines.length - 1]!) as { steps: number; reproduced: boolean } }
  } finally {
    console.log = log
  }
}
