// WebKit over W3C WebDriver, the pieces both the WebKit e2e suite
// (e2e/webkit/*.ts) and the benchmarks (bench/, plain .mjs) use: an X server
// (Xvfb), WebKitWebDriver, a WebDriver session of WebKitGTK's MiniBrowser,
// and an HTTPS proxy in front of the reference server.
//
// Why the proxy: WebKitGTK refuses `Secure` cookies from http://127.0.0.1 and
// http://localhost (Chromium and Firefox treat loopback as secure), so the
// reference server's `__Host-sv_rt` refresh cookie and the `/classic/` session
// cookie would never be stored. A TLS-terminating proxy (a throw-away
// self-signed certificate, accepted with `acceptInsecureCerts`) goes in front
// of each origin. The proxy also stands in for Playwright's request
// interception: it can hold or delay requests matching a path and tells when
// the browser gave up on one (an aborted fetch).
// Over 300 lines: one module so the e2e suite and the bench start WebKit the same way.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Builder } from 'selenium-webdriver'
import { ENGINES, missingEngines } from './browsers.mjs'

// ---- Xvfb and WebKitWebDriver ------------------------------------------------

/** Fails at once, with what to install, when WebKit, Xvfb or openssl is missing. */
export function checkWebKit() {
  const missing = missingEngines(['webkit'])
  if (missing.length > 0) throw new Error(missing.join('\n'))
  if (spawnSync('openssl', ['version']).status !== 0) {
    throw new Error(
      'webkit: openssl not found (WebKit runs behind an HTTPS proxy with a throw-away certificate). Install it with: apt-get install openssl',
    )
  }
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** Starts Xvfb on a free display (`-displayfd`: the X server picks it and tells us); resolves ':N'. */
function startXvfb(children) {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(ENGINES.webkit.xvfb, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    })
    children.push(xvfb)
    let stderr = ''
    let out = ''
    xvfb.stderr.on('data', chunk => (stderr += chunk.toString()))
    const timer = setTimeout(
      () => reject(new Error(`Xvfb did not report a display within 10 s: ${stderr.slice(-500)}`)),
      10_000,
    )
    xvfb.stdio[3].on('data', chunk => {
      out += chunk.toString()
      const match = /^(\d+)\n/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(`:${match[1]}`)
      }
    })
    xvfb.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`Xvfb exited (${code}): ${stderr.slice(-500)}`))
    })
  })
}

/** Starts WebKitWebDriver on a free port with DISPLAY set; resolves its URL once /status answers. */
async function startDriver(display, children) {
  const port = await freePort()
  const driver = spawn(ENGINES.webkit.path, [`--port=${port}`, '--host=127.0.0.1'], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(driver)
  let stderr = ''
  driver.stderr.on('data', chunk => (stderr = (stderr + chunk.toString()).slice(-2_000)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode}): ${stderr}`)
    try {
      const status = await fetch(`${url}/status`)
      if (status.ok) return url
    } catch {
      /* not listening yet */
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`WebKitWebDriver did not answer on ${url} within 10 s: ${stderr}`)
}

/**
 * Starts one Xvfb (on a display it picks itself) and one WebKitWebDriver.
 * `stop()` ends both (also registered for process exit); WebKitWebDriver allows
 * one WebDriver session at a time.
 */
export async function startWebKitDriver() {
  checkWebKit()
  const children = []
  const stop = () => {
    for (const child of children.splice(0).reverse()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    }
  }
  process.once('exit', stop)
  try {
    const display = await startXvfb(children)
    const webdriverUrl = await startDriver(display, children)
    return { webdriverUrl, display, stop }
  } catch (error) {
    stop()
    throw error
  }
}

/** The capabilities of a MiniBrowser session (self-signed certificate of the proxy accepted). */
export function webkitCapabilities() {
  return {
    browserName: 'MiniBrowser',
    acceptInsecureCerts: true,
    'webkitgtk:browserOptions': { binary: ENGINES.webkit.miniBrowser, args: ['--automation'] },
  }
}

/** A selenium-webdriver session of MiniBrowser on `webdriverUrl`, with generous script and page-load timeouts. */
export async function newWebKitSession(webdriverUrl, { scriptTimeout = 60_000, pageLoadTimeout = 30_000 } = {}) {
  const driver = await new Builder().usingServer(webdriverUrl).withCapabilities(webkitCapabilities()).build()
  await driver.manage().setTimeouts({ script: scriptTimeout, pageLoad: pageLoadTimeout })
  return driver
}

// ---- the HTTPS proxy -----------------------------------------------------------

/** A self-signed ECDSA P-256 certificate for 127.0.0.1, valid two days; made with openssl, kept in memory only. */
export function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'sv-webkit-tls-'))
  try {
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    if (made.status !== 0)
      throw new Error(`openssl could not make a certificate: ${made.stderr.toString().slice(-500)}`)
    return { key: readFileSync(key), cert: readFileSync(cert) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade'])

function rawWithout(raw) {
  const out = []
  for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1])
  return out
}

export class TlsProxy {
  #server
  #agent
  #rules = []

  constructor(server, agent) {
    this.#server = server
    this.#agent = agent
    this.origin = `https://127.0.0.1:${server.address().port}`
  }

  /** Serves https://127.0.0.1:<free port> and forwards everything to `target` (an http:// origin). */
  static async start(target, certificate) {
    const upstream = new URL(target)
    const agent = new Agent({ keepAlive: true })
    let proxy
    const server = createHttpsServer({ ...certificate }, (req, res) => void proxy.#forward(upstream, req, res))
    await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    proxy = new TlsProxy(server, agent)
    return proxy
  }

  /** Delays every request whose path (with query) matches by `ms` before forwarding it. Returns the remover. */
  delay(match, ms) {
    return this.#add({ match, before: () => new Promise(resolve => setTimeout(resolve, ms)) })
  }

  /** Holds the next request whose path matches until `release()`. */
  hold(match) {
    let reached
    let release
    let aborted
    const held = {
      reached: new Promise(resolve => (reached = resolve)),
      aborted: new Promise(resolve => (aborted = resolve)),
    }
    const released = new Promise(resolve => (release = resolve))
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
    return Object.assign(held, {
      release,
      remove: () => {
        release()
        return remove()
      },
    })
  }

  async close() {
    this.#rules = []
    this.#server.closeAllConnections()
    await new Promise(resolve => this.#server.close(() => resolve()))
    this.#agent.destroy()
  }

  #add(rule) {
    this.#rules.push(rule)
    return () => {
      this.#rules = this.#rules.filter(r => r !== rule)
    }
  }

  async #forward(upstream, req, res) {
    const closed = new Promise(resolve => res.once('close', () => resolve()))
    for (const rule of this.#rules.filter(r => r.match.test(req.url ?? ''))) await rule.before(closed, res)
    if (res.destroyed) {
      req.resume()
      return
    }
    const headers = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value
    }
    // The reference server speaks plain HTTP and takes its own origin to be http:// + Host; as a
    // TLS-terminating front would, present the browser's Origin for this proxy in the backend's scheme.
    // Any other Origin (another origin, "null") passes unchanged, so the server's own checks still see it.
    if (headers.origin === this.origin) headers.origin = this.origin.replace(/^https:/, 'http:')
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent: this.#agent },
      answer => {
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
