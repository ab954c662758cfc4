/** `tla-ts explore MODEL [--test NAME] [--param k=v]... [--seed N] [--port P] [--open]`: the state-space explorer. */
import { startExplorer } from "../viewer/explore-server.ts"
import { Session } from "../viewer/session.ts"
import { intFlag, paramsFlag, parse, UsageError, EXPLORE_USAGE } from "./usage.ts"

import { openInBrowser } from "./view.ts"

const DEFAULT_PORT = 7357

export const runExplore = async (args: string[]): Promise<number> => {
  const { values, positionals } = parse({
    args,
    allowPositionals: true,
    options: {
      test: { type: "string" },
      param: { type: "string", multiple: true },
      seed: { type: "string" },
      port: { type: "string" },
      open: { type: "boolean" },
    },
  })
  if (positionals.length !== 1) throw new UsageError(`explore takes exactly one model: ${EXPLORE_USAGE}`)
  const port = intFlag("port", values.port) ?? DEFAULT_PORT
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`)
  const session = await Session.open({
    model: positionals[0]!,
    ...(values.test ? { test: values.test } : {}),
    params: paramsFlag(values.param),
    seed: intFlag("seed", values.seed) ?? 0,
  })
  let running
  try {
    running = await startExplorer(session, port)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} is in use on 127.0.0.1: pick another with --port P (0 for any free port)`)
    if (code === "EACCES") throw new UsageError(`port ${port} needs privileges: pick another with --port P`)
    throw e
  }
  console.log(`exploring ${session.ref.model}${session.ref.test ? ` --test ${session.ref.test}` : ""} at ${running.url} (Ctrl-C to stop)`)
  if (values.open) openInBrowser(running.url)
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve)
    process.once("SIGTERM", resolve)
  })
  await running.close()
  return 0
}
