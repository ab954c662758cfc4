/**
 * A fault-injecting TCP proxy for one directed link between two nodes (127.0.0.1 only): it forwards
 * bytes both ways while the link is up; cutting it destroys its connections and refuses new ones
 * until it is healed. A cluster whose peers dial each other through such proxies can be partitioned.
 */
import { createServer, type Server, type Socket, connect } from "node:net"

export class LinkProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  cut = false

  constructor(
    readonly listenPort: number,
    readonly targetPort: number
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((inbound) => {
        if (this.cut) return void inbound.destroy()
        const outbound = connect({ host: "127.0.0.1", port: this.targetPort })
        for (const [a, b] of [
          [inbound, outbound],
          [outbound, inbound],
        ] as const) {
          this.sockets.add(a)
          a.on("data", (d) => b.write(d))
          a.on("error", () => b.destroy())
          a.on("close", () => {
            this.sockets.delete(a)
            b.destroy()
          })
        }
      })
      server.once("error", reject)
      server.listen(this.listenPort, "127.0.0.1", () => resolve())
      this.server = server
    })
  }

  setCut(cut: boolean): void {
    this.cut = cut
    if (cut) for (const s of this.sockets) s.destroy()
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)))
  }
}
