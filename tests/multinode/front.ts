// A front door for one client, as a load balancer with health checks would be: each new TCP
// connection goes to the preferred node when it answers, else to the next one that does. So a
// stock client whose node died reconnects, unchanged, to another node.
import net from 'node:net'

export type Front = { url: string; wsUrl: string; port: number; close(): Promise<void> }

/** `backends` lists the nodes' ports in a fixed order, null for a node known to be down. */
export async function openFront(backends: () => Array<number | null>, preferred: number): Promise<Front> {
  const open = new Set<net.Socket>()
  const server = net.createServer((client) => {
    open.add(client)
    client.on('close', () => open.delete(client))
    client.on('error', () => client.destroy())
    client.pause()
    const ports = backends()
    const order = ports.map((_, i) => ports[(preferred + i) % ports.length]).filter((p): p is number => typeof p === 'number')
    const attempt = (i: number): void => {
      if (client.destroyed) return
      if (i >= order.length) return void client.destroy()
      let connected = false
      const backend = net.connect(order[i]!, '127.0.0.1')
      backend.on('error', () => {
        backend.destroy()
        // Refused: this node is down, try the next. After connecting: the node died, drop the client.
        if (!connected) attempt(i + 1)
        else client.destroy()
      })
      backend.once('connect', () => {
        connected = true
        open.add(backend)
        backend.on('close', () => {
          open.delete(backend)
          client.destroy()
        })
        client.on('close', () => backend.destroy())
        client.pipe(backend)
        backend.pipe(client)
        client.resume()
      })
    }
    attempt(0)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy()
        server.close(() => resolve())
      }),
  }
}
