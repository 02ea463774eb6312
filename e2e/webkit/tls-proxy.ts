// HTTPS in front of the reference server, for WebKit.
//
// WebKitGTK refuses `Secure` cookies from http://127.0.0.1 and http://localhost
// (Chromium and Firefox treat loopback as secure): the reference server's
// `__Host-sv_rt` refresh cookie and the `/classic/` session cookie would never
// be stored. So the suite puts a TLS-terminating proxy (a throw-away
// self-signed certificate, accepted with `acceptInsecureCerts`) in front of
// each origin. The proxy also stands in for Playwright's request interception:
// it can hold or delay requests matching a path and tells when the browser
// gave up on one (an aborted fetch).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Certificate {
  key: Buffer
  cert: Buffer
}

/** A self-signed ECDSA P-256 certificate for 127.0.0.1, valid two days; made with openssl, kept in memory only. */
export function makeCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'sv-webkit-tls-'))
  try {
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr.toString().slice(-500)}`)
    return { key: readFileSync(key), cert: readFileSync(cert) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A request held by the proxy until `release()`; `aborted` resolves true when the browser cancelled it meanwhile. */
export interface HeldRequest {
  reached: Promise<void>
  release(): void
  aborted: Promise<boolean>
  remove(): void
}

interface Rule {
  match: RegExp
  /** Runs before the request goes upstream; `closed` resolves when the browser side closes. */
  before(closed: Promise<void>, res: ServerResponse): Promise<void>
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade'])

function rawWithout(raw: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!)
  return out
}

export class TlsProxy {
  readonly origin: string
  readonly #server: Server
  readonly #agent: Agent
  #rules: Rule[] = []

  private constructor(server: Server, agent: Agent) {
    this.#server = server
    this.#agent = agent
    this.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  /** Serves https://127.0.0.1:<free port> and forwards everything to `target` (an http:// origin). */
  static async start(target: string, certificate: Certificate): Promise<TlsProxy> {
    const upstream = new URL(target)
    const agent = new Agent({ keepAlive: true })
    let proxy: TlsProxy | undefined
    const server = createServer({ ...certificate }, (req, res) => void proxy!.#forward(upstream, req, res))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    proxy = new TlsProxy(server, agent)
    return proxy
  }

  /** Delays every request whose path (with query) matches by `ms` before forwarding it. Returns the remover. */
  delay(match: RegExp, ms: number): () => void {
    return this.#add({ match, before: () => new Promise((resolve) => setTimeout(resolve, ms)) })
  }

  /** Holds the next request whose path matches until `release()`. */
  hold(match: RegExp): HeldRequest {
    let reached!: () => void
    let release!: () => void
    let aborted!: (value: boolean) => void
    const held: Partial<HeldRequest> = {
      reached: new Promise<void>((resolve) => (reached = resolve)),
      aborted: new Promise<boolean>((resolve) => (aborted = resolve)),
    }
    const released = new Promise<void>((resolve) => (release = resolve))
    let used = false
    const remove = this.#add({
      match,
      before: async (closed, res) => {
        if (used) return
        used = true
        reached()
        let gone = false
        void closed.then(() => {
          if (!res.writableFinished) {
            gone = true
            aborted(true)
          }
        })
        await released
        if (!gone) aborted(false)
      },
    })
    return Object.assign(held, { release, remove: () => (release(), remove()) }) as HeldRequest
  }

  async close(): Promise<void> {
    this.#rules = []
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
    this.#agent.destroy()
  }

  #add(rule: Rule): () => void {
    this.#rules.push(rule)
    return () => {
      this.#rules = this.#rules.filter((r) => r !== rule)
    }
  }

  async #forward(upstream: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()))
    for (const rule of this.#rules.filter((r) => r.match.test(req.url ?? ''))) await rule.before(closed, res)
    if (res.destroyed) {
      req.resume()
      return
    }
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value
    }
    // The reference server speaks plain HTTP and takes its own origin to be http:// + Host; as a
    // TLS-terminating front would, present the browser's Origin for this proxy in the backend's scheme.
    // Any other Origin (another origin, "null") passes unchanged, so the server's own checks still see it.
    if (headers.origin === this.origin) headers.origin = this.origin.replace(/^https:/, 'http:')
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent: this.#agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, rawWithout(answer.rawHeaders))
        answer.pipe(res)
      },
    )
    out.on('error', () => res.destroy())
    res.once('close', () => {
      if (!res.writableFinished) out.destroy()
    })
    req.pipe(out)
  }
}
