/**
 * TCP with length-prefixed frames. `Conn` wraps one socket: it reassembles incoming frames and batches
 * outgoing ones (writes within one tick go out in one syscall). `Dialer` keeps an outgoing connection
 * up, reconnecting with exponential backoff; while it is down, frames are dropped, as a lossy network
 * would (the protocols retransmit). `listen` accepts connections on loopback or a given host.
 */
import { createServer, type Server, type Socket, connect } from "node:net"
import { frame, FrameReader, frames } from "./frames.ts"

export interface Endpoint {
  readonly host: string
  readonly port: number
}

export class AddressError extends Error {}

export const parseEndpoint = (s: string, what: string): Endpoint => {
  const m = /^([^:\s]+):(\d{1,5})$/.exec(s.trim())
  const port = m ? Number(m[2]) : NaN
  if (!m || !(port >= 1 && port <= 65535)) throw new AddressError(`${what} must look like HOST:PORT with a port in 1..65535, got "${s}"`)
  return { host: m[1]!, port }
}

export const showEndpoint = (e: Endpoint) => `${e.host}:${e.port}`

export class Conn {
  private corked = false
  private closed = false
  private readonly reader: FrameReader
  readonly peer: string

  constructor(
    readonly socket: Socket,
    onFrame: (payload: string, conn: Conn) => void,
    private readonly onClose: (conn: Conn) => void,
    onBad: (reason: string, conn: Conn) => void,
    maxFrame?: number
  ) {
    this.reader = new FrameReader(maxFrame)
    this.peer = `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`
    socket.setNoDelay(true)
    socket.on("data", (chunk: Buffer) => {
      if (this.closed) return
      for (const f of this.reader.push(chunk)) {
        if (this.closed) return
        onFrame(f, this)
      }
      if (this.reader.oversized && !this.closed) {
        onBad(`${this.reader.oversized}; closing the connection (cannot resynchronise)`, this)
        this.close()
      }
    })
    socket.on("error", () => this.close())
    socket.on("close", () => this.close())
  }

  get isOpen(): boolean {
    return !this.closed
  }

  send(payload: string): void {
    if (this.closed) return
    if (!this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(() => {
        this.corked = false
        this.socket.uncork()
      })
    }
    this.socket.write(frame(payload))
  }

  /**
   * Writes frames now, in one write (a caller that gathered a tick's frames for this peer): not held
   * to the end of the tick as `send` holds them, so a message queued before the step's WAL write is on
   * the wire before that write's work starts.
   */
  sendNow(payloads: ReadonlyArray<string>): void {
    if (this.closed || payloads.length === 0) return
    this.socket.write(frames(payloads))
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.socket.destroy()
    this.onClose(this)
  }
}

export interface DialerOptions {
  /** First frame on every new connection. */
  readonly hello: string
  readonly onFrame?: (payload: string, conn: Conn) => void
  readonly onBad?: (reason: string, conn: Conn) => void
  readonly onUp?: () => void
  readonly onDown?: () => void
  readonly minBackoff?: number
  readonly maxBackoff?: number
}

export class Dialer {
  private conn: Conn | undefined
  private backoff: number
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private connecting = false

  constructor(
    readonly endpoint: Endpoint,
    private readonly options: DialerOptions
  ) {
    this.backoff = options.minBackoff ?? 20
    this.dial()
  }

  get up(): boolean {
    return this.conn?.isOpen === true
  }

  /** The open connection frames go on now (undefined while down). */
  get connection(): Conn | undefined {
    return this.conn?.isOpen ? this.conn : undefined
  }

  send(payload: string): boolean {
    if (!this.conn?.isOpen) return false
    this.conn.send(payload)
    return true
  }

  close(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.conn?.close()
  }

  private dial(): void {
    if (this.stopped || this.connecting) return
    this.connecting = true
    const socket = connect({ host: this.endpoint.host, port: this.endpoint.port })
    const fail = () => {
      if (!this.connecting) return
      this.connecting = false
      socket.destroy()
      this.retry()
    }
    socket.once("error", fail)
    socket.once("connect", () => {
      this.connecting = false
      socket.off("error", fail)
      if (this.stopped) return void socket.destroy()
      this.backoff = this.options.minBackoff ?? 20
      this.conn = new Conn(
        socket,
        (f, c) => this.options.onFrame?.(f, c),
        () => {
          this.conn = undefined
          this.options.onDown?.()
          this.retry()
        },
        (r, c) => this.options.onBad?.(r, c)
      )
      this.conn.send(this.options.hello)
      this.options.onUp?.()
    })
  }

  private retry(): void {
    if (this.stopped || this.timer) return
    const wait = this.backoff
    this.backoff = Math.min(this.backoff * 2, this.options.maxBackoff ?? 1000)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.dial()
    }, wait)
  }
}

export const listen = (endpoint: Endpoint, onSocket: (s: Socket) => void): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer(onSocket)
    server.once("error", (e: NodeJS.ErrnoException) => reject(new AddressError(`cannot listen on ${showEndpoint(endpoint)}: ${e.code ?? e.message}`)))
    server.listen(endpoint.port, endpoint.host, () => resolve(server))
  })
