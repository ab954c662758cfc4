/**
 * The explorer's local web server, on loopback only: the page, and a small JSON API over one model's
 * Session (a path's state, enabled events and properties; checks from a state; trace files in and out).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ReplayError } from "../checker/path.ts"
import { STRATEGIES, type Strategy } from "../checker/result.ts"
import { readTraceFile, TraceFileError } from "../checker/trace-file.ts"
import { CheckJob } from "./check-job.ts"
import { renderPage } from "./page.ts"
import type { ModelRef, Session } from "./session.ts"

export const HOST = "127.0.0.1"
const MAX_BODY = 20 * 1024 * 1024

/** What the explorer page starts from. */
export interface ExploreData {
  readonly ref: ModelRef
  readonly initials: number
}

class BadRequest extends Error {}

const readBody = (req: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) reject(new BadRequest("request too large"))
      else chunks.push(c)
    })
    req.on("end", () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}")
        if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("expected an object")
        resolve(v as Record<string, unknown>)
      } catch (e) {
        reject(new BadRequest(`bad JSON body: ${(e as Error).message}`))
      }
    })
    req.on("error", reject)
  })

const pathOf = (body: Record<string, unknown>): { initial: number; labels: string[] } => {
  const { initial = 0, labels = [] } = body
  if (typeof initial !== "number" || !Number.isInteger(initial) || initial < 0) throw new BadRequest(`"initial" must be a non-negative integer`)
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== "string")) throw new BadRequest(`"labels" must be an array of strings`)
  return { initial, labels: labels as string[] }
}

const count = (v: unknown, name: string, fallback: number | undefined, max: number): number | undefined => {
  if (v === undefined || v === null || v === "") return fallback
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) throw new BadRequest(`${name} must be a whole number from 1 to ${max}`)
  return v
}

/** A trace file's text, validated as `tla-ts replay` validates files. */
const parseTrace = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), "tla-ts-explore-"))
  try {
    writeFileSync(join(dir, "opened.trace.json"), text)
    return readTraceFile(join(dir, "opened.trace.json"))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const sameParams = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  Object.keys({ ...a, ...b }).every((k) => (a[k] ?? "") === (b[k] ?? ""))

export const explorerHandler = (session: Session) => {
  const { ref } = session
  let job: CheckJob | undefined
  const routes: Record<string, (body: Record<string, unknown>) => unknown> = {
    "POST /api/path": (body) => {
      const { initial, labels } = pathOf(body)
      return session.view(initial, labels)
    },
    "POST /api/save": (body) => {
      const { initial, labels } = pathOf(body)
      return session.traceFile(initial, labels)
    },
    "POST /api/open": (body) => {
      if (typeof body.text !== "string") throw new BadRequest(`"text" must be the trace file's text`)
      const trace = parseTrace(body.text)
      if (trace.model !== ref.model || (trace.test ?? "") !== (ref.test ?? "") || !sameParams(trace.params, ref.params))
        throw new BadRequest(
          `this trace is of ${trace.model}${trace.test ? ` --test ${trace.test}` : ""} ${Object.entries(trace.params).filter(([, v]) => v !== "").map(([k, v]) => `--param ${k}=${v}`).join(" ")}; the explorer runs ${ref.model}${ref.test ? ` --test ${ref.test}` : ""}`.replace(/\s+;/, ";")
        )
      return { initial: trace.initial, labels: session.labelsOf(trace), ...(trace.seed !== undefined && trace.seed !== ref.seed ? { note: `the trace was made with seed ${trace.seed}, the explorer runs seed ${ref.seed}` } : {}) }
    },
    "POST /api/check": (body) => {
      const { initial, labels } = pathOf(body)
      const strategy = (body.strategy ?? "bfs") as Strategy
      if (!STRATEGIES.includes(strategy)) throw new BadRequest(`strategy must be one of ${STRATEGIES.join(", ")}`)
      job?.stop()
      const maxDepth = count(body.maxDepth, "max depth", undefined, 1_000_000)
      job = new CheckJob({
        ref,
        initial,
        labels,
        strategy,
        maxStates: count(body.maxStates, "max states", 100_000, 100_000_000)!,
        ...(maxDepth !== undefined ? { maxDepth } : {}),
        maxSeconds: count(body.maxSeconds, "max seconds", 60, 3600)!,
      })
      return job.get()
    },
    "GET /api/check": () => job?.get() ?? { id: 0, running: false },
    "POST /api/check/stop": () => (job?.stop(), job?.get() ?? { id: 0, running: false }),
  }
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" })
      res.end(body)
    }
    const url = new URL(req.url ?? "/", `http://${HOST}`)
    try {
      if (req.method === "GET" && url.pathname === "/") {
        const data: ExploreData = { ref, initials: session.system.initial().length }
        return send(200, "text/html; charset=utf-8", renderPage("explore", `explore ${ref.model}${ref.test ? ` ${ref.test}` : ""}`, data))
      }
      const route = routes[`${req.method} ${url.pathname}`]
      if (!route) return send(404, "application/json", JSON.stringify({ error: `no such endpoint: ${req.method} ${url.pathname}` }))
      const body = req.method === "POST" ? await readBody(req) : {}
      return send(200, "application/json", JSON.stringify(route(body)))
    } catch (e) {
      const known = e instanceof BadRequest || e instanceof TraceFileError || e instanceof ReplayError
      send(known ? 400 : 500, "application/json", JSON.stringify({ error: (e as Error).message }))
    }
  }
  return { handler, stop: () => job?.stop() }
}

/** Listens on 127.0.0.1:port (0 = any free port); a port in use rejects with the listen error. */
export const startExplorer = (session: Session, port: number): Promise<{ server: Server; url: string; close: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const { handler, stop } = explorerHandler(session)
    const server = createServer((req, res) => void handler(req, res))
    server.once("error", reject)
    server.listen(port, HOST, () => {
      const address = server.address()
      const actual = typeof address === "object" && address ? address.port : port
      resolve({
        server,
        url: `http://${HOST}:${actual}/`,
        close: () =>
          new Promise<void>((done) => {
            stop()
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
