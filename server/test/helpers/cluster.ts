import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { fileURLToPath } from 'node:url'

const APP = fileURLToPath(new URL('./app-process.mjs', import.meta.url))

/** A server process running the bundled library. */
export interface AppProcess {
  port: number
  pid: number
  child: ChildProcess
  counters(): Promise<Record<string, number>>
  kill(signal?: NodeJS.Signals): Promise<void>
}

export async function startApp(lib: string, env: Record<string, string> = {}): Promise<AppProcess> {
  const child = spawn(process.execPath, [APP], {
    env: { ...process.env, LIB: lib, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [line] = (await Promise.race([
    once(child.stdout!, 'data'),
    new Promise((_, reject) => setTimeout(() => reject(new Error('app did not start')), 15_000)),
  ])) as [Buffer]
  const { port, pid } = JSON.parse(line.toString().split('\n')[0]!) as { port: number; pid: number }
  return {
    port,
    pid,
    child,
    async counters() {
      const response = await fetch(`http://127.0.0.1:${port}/test/counters`)
      return ((await response.json()) as { counters: Record<string, number> }).counters
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill(signal)
      await exited
    },
  }
}

/**
 * A round-robin HTTP proxy in front of `ports`. A backend that refuses the
 * connection is skipped (the request was never sent, so retrying is safe); a
 * backend that dies mid-request yields 502.
 */
export async function startProxy(ports: number[]) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256, noDelay: true } as ConstructorParameters<typeof Agent>[0])
  const down = new Map<number, number>()
  let next = 0
  const pick = (): number[] => {
    const order = ports.map((_, i) => ports[(next + i) % ports.length]!)
    next = (next + 1) % ports.length
    const now = Date.now()
    return [...order.filter(p => (down.get(p) ?? 0) < now), ...order.filter(p => (down.get(p) ?? 0) >= now)]
  }
  const forward = (port: number, req: IncomingMessage, body: Buffer) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent },
        resolve,
      )
      upstream.on('error', reject)
      upstream.setNoDelay(true)
      upstream.end(body)
    })
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    for (const port of pick()) {
      try {
        const upstream = await forward(port, req, body)
        res.writeHead(upstream.statusCode ?? 502, upstream.headers)
        upstream.pipe(res)
        return
      } catch (error) {
        const code = (error as { code?: string }).code
        if (code === 'ECONNREFUSED') {
          down.set(port, Date.now() + 1000)
          continue
        }
        break
      }
    }
    res.writeHead(502)
    res.end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      agent.destroy()
      server.closeAllConnections()
      await new Promise(r => server.close(r))
    },
  }
}

/** A browser-like client: one cookie jar for the refresh cookie, shared by its "tabs". */
export class Browser {
  cookie: string | null = null
  #lock: Promise<unknown> = Promise.resolve()

  constructor(readonly base: string) {}

  /** Run `fn` holding this browser's refresh lock (the SDK's Web Lock across tabs). */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn)
    this.#lock = run.catch(() => {})
    return run
  }

  async post(path: string, init: { body?: string; type?: string; bearer?: string } = {}) {
    const headers: Record<string, string> = { 'Session-Vault': '1' }
    if (init.type) headers['Content-Type'] = init.type
    if (init.bearer) headers.Authorization = `Bearer ${init.bearer}`
    if (this.cookie) headers.Cookie = this.cookie
    const response = await fetch(this.base + path, { method: 'POST', headers, body: init.body ?? null })
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!
      this.cookie = pair.endsWith('=') ? null : pair
    }
    return response
  }

  async login(username: string, password: string) {
    const r = await this.post('/auth/login', { body: JSON.stringify({ username, password }), type: 'application/json' })
    return {
      status: r.status,
      body: r.status === 200 ? ((await r.json()) as { access_token: string; session_id: string }) : null,
    }
  }

  async refresh() {
    const r = await this.post('/auth/refresh', {
      body: 'grant_type=refresh_token',
      type: 'application/x-www-form-urlencoded',
    })
    return {
      status: r.status,
      body: r.status === 200 ? ((await r.json()) as { access_token: string; session_id: string }) : null,
    }
  }

  async me(access: string, base = this.base) {
    const r = await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${access}` } })
    return { status: r.status, body: r.status === 200 ? ((await r.json()) as { userId: string; pid: number }) : null }
  }
}
