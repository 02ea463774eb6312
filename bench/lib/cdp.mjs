// A Chromium launched outside Playwright and driven over the raw DevTools
// protocol (used by the benchmarks and by e2e/hidden-tab). Playwright,
// connectOverCDP included, turns on focus emulation for every page it attaches
// to, which keeps every tab `visible`; a tab behind another one here really is
// `hidden`, with its page timers throttled.
// Over 300 lines: the whole raw-CDP client (launch, targets, sessions, evaluation) in one place.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** How often `waitFor` asks the page again (from here: the tab's own timers may be throttled). */
const POLL_MS = 50
/** Chromium starting up far enough to print its DevTools URL. */
const DEVTOOLS_URL_MS = 20_000
/** `Browser.close` answering before the socket is closed anyway. */
const BROWSER_CLOSE_MS = 2_000
/** The process exiting after that, before it is killed. */
const EXIT_MS = 3_000
/** Between two tries at removing the profile (Chromium's last writes may still be landing). */
const PROFILE_REMOVE_RETRY_MS = 100

/**
 * A CDP message from the browser: the answer to a command (`id`), or an event (no `id`).
 * @typedef {{ id?: number, result?: unknown, error?: { message: string } }} CdpMessage
 */
/** @typedef {{ resolve: (result: unknown) => void, reject: (error: Error) => void, method: string }} Pending */

/** A minimal WebSocket client (RFC 6455 text frames, masked, no extensions): enough for CDP. Node 20 has no WebSocket. */
class CdpSocket {
  #socket
  #buffer = Buffer.alloc(0)
  /** @type {Buffer[]} */
  #fragments = []
  #nextId = 1
  /** @type {Map<number, Pending>} */
  #pending = new Map()
  #closed = false

  /**
   * @param {import('node:stream').Duplex} socket the upgraded connection
   * @param {Buffer} head what arrived with the upgrade
   */
  constructor(socket, head) {
    this.#socket = socket
    socket.on('data', chunk => this.#onData(chunk))
    socket.on('close', () => this.#fail(new Error('CDP socket closed')))
    socket.on('error', error => this.#fail(error))
    if (head.length) this.#onData(head)
  }

  /**
   * @param {string} url the browser's `ws://` DevTools URL
   * @returns {Promise<CdpSocket>}
   */
  static connect(url) {
    const target = new URL(url)
    return new Promise((resolve, reject) => {
      const req = request({
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        },
      })
      req.on('upgrade', (_res, socket, head) => resolve(new CdpSocket(socket, head)))
      req.on('response', res => reject(new Error(`CDP upgrade refused: ${res.statusCode}`)))
      req.on('error', reject)
      req.end()
    })
  }

  /**
   * @param {string} method
   * @param {Record<string, unknown>} [params]
   * @param {string} [sessionId] a target's flat session; none for the browser's own commands
   * @returns {Promise<unknown>}
   */
  send(method, params = {}, sessionId) {
    if (this.#closed) return Promise.reject(new Error(`CDP socket closed (${method})`))
    const id = this.#nextId++
    const message = JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params })
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method })
      this.#write(Buffer.from(message))
    })
  }

  close() {
    this.#closed = true
    this.#socket.destroy()
  }

  /** @param {Buffer} payload */
  #write(payload) {
    const length = payload.length
    let header
    if (length < 126) header = Buffer.from([0x81, 0x80 | length])
    else if (length < 65536) header = Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff])
    else {
      header = Buffer.alloc(10)
      header[0] = 0x81
      header[1] = 0x80 | 127
      header.writeBigUInt64BE(BigInt(length), 2)
    }
    const mask = randomBytes(4)
    const masked = Buffer.alloc(length)
    for (let i = 0; i < length; i++) masked[i] = payload.readUInt8(i) ^ mask.readUInt8(i % 4)
    this.#socket.write(Buffer.concat([header, mask, masked]))
  }

  /** @param {Buffer} chunk */
  #onData(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk])
    for (;;) {
      const buffer = this.#buffer
      if (buffer.length < 2) return
      const first = buffer.readUInt8(0)
      const fin = (first & 0x80) !== 0
      const opcode = first & 0x0f
      let length = buffer.readUInt8(1) & 0x7f
      let offset = 2
      if (length === 126) {
        if (buffer.length < 4) return
        length = buffer.readUInt16BE(2)
        offset = 4
      } else if (length === 127) {
        if (buffer.length < 10) return
        length = Number(buffer.readBigUInt64BE(2))
        offset = 10
      }
      if (buffer.length < offset + length) return
      const payload = buffer.subarray(offset, offset + length)
      this.#buffer = buffer.subarray(offset + length)
      if (opcode === 0x8) return this.#fail(new Error('CDP socket closed by the browser'))
      if (opcode === 0x9 || opcode === 0xa) continue
      this.#fragments.push(Buffer.from(payload))
      if (!fin) continue
      const text = Buffer.concat(this.#fragments).toString('utf8')
      this.#fragments = []
      this.#onMessage(JSON.parse(text))
    }
  }

  /** @param {CdpMessage} message */
  #onMessage(message) {
    if (typeof message.id !== 'number') return // events: not needed here
    const pending = this.#pending.get(message.id)
    if (!pending) return
    this.#pending.delete(message.id)
    if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`))
    else pending.resolve(message.result)
  }

  /** @param {Error} error */
  #fail(error) {
    this.#closed = true
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}

/** A page target, attached with a flat session. */
export class CdpPage {
  /**
   * @param {CdpSocket} socket
   * @param {string} targetId
   * @param {string} sessionId
   */
  constructor(socket, targetId, sessionId) {
    this.socket = socket
    this.targetId = targetId
    this.sessionId = sessionId
  }

  /**
   * @param {string} method
   * @param {Record<string, unknown>} [params]
   */
  send(method, params = {}) {
    return this.socket.send(method, params, this.sessionId)
  }

  /**
   * Evaluates an expression (awaiting a promise) and returns its JSON value; page exceptions are thrown.
   * @param {string} expression
   * @returns {Promise<unknown>}
   */
  async evaluate(expression) {
    const { result, exceptionDetails } =
      /** @type {{ result: { value?: unknown }, exceptionDetails?: { text: string, exception?: { description?: string } } }} */ (
        await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })
      )
    if (exceptionDetails) throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`)
    return result.value
  }

  /**
   * Polls `expression` from here (not with the page's own, throttled timers) until it is truthy.
   * While the tab is between documents there is no execution context yet: that counts as "not yet".
   */
  /**
   * @param {string} expression
   * @param {number} timeoutMs
   * @param {number} [intervalMs]
   */
  async waitFor(expression, timeoutMs, intervalMs = POLL_MS) {
    const end = Date.now() + timeoutMs
    for (;;) {
      const value = await this.evaluate(expression).catch(error => {
        if (error instanceof Error && /execution context/i.test(error.message)) return undefined
        throw error
      })
      if (value) return value
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`)
      await sleep(intervalMs)
    }
  }
}

/** A Chromium process of our own, headless, with a throw-away profile and `--remote-debugging-port=0`. */
export class RawChromium {
  /**
   * Use `RawChromium.launch`.
   * @param {import('node:child_process').ChildProcessByStdio<null, null, import('node:stream').Readable>} child
   * @param {string} profile the throw-away profile directory
   * @param {CdpSocket} socket the browser's DevTools connection
   */
  constructor(child, profile, socket) {
    this.child = child
    this.profile = profile
    this.socket = socket
  }

  /**
   * @param {string | undefined} executablePath
   * @param {readonly string[]} args
   */
  static async launch(executablePath, args) {
    const executable = executablePath ?? 'chromium'
    const profile = mkdtempSync(join(tmpdir(), 'session-vault-bench-'))
    const child = spawn(
      executable,
      ['--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, ...args, 'about:blank'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    )
    try {
      /** @type {string} */
      const url = await new Promise((resolve, reject) => {
        let stderr = ''
        const timer = setTimeout(
          () => reject(new Error(`Chromium did not print its DevTools URL:\n${stderr}`)),
          DEVTOOLS_URL_MS,
        )
        child.stderr.on('data', chunk => {
          stderr += chunk.toString()
          const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr)
          if (match?.[1]) {
            clearTimeout(timer)
            resolve(match[1])
          }
        })
        child.once('exit', code => {
          clearTimeout(timer)
          reject(new Error(`Chromium exited (${code}) before it was ready:\n${stderr}`))
        })
        child.once('error', error => {
          clearTimeout(timer)
          reject(error)
        })
      })
      child.stderr.resume()
      return new RawChromium(child, profile, await CdpSocket.connect(url))
    } catch (error) {
      child.kill('SIGKILL')
      rmSync(profile, { recursive: true, force: true })
      throw error
    }
  }

  async version() {
    const { product } = /** @type {{ product: string }} */ (await this.socket.send('Browser.getVersion'))
    return product
  }

  /**
   * `Target.createTarget` (a new tab, made the active one), attached with a flat session.
   * @param {string} url
   */
  async newTab(url) {
    const { targetId } = /** @type {{ targetId: string }} */ (await this.socket.send('Target.createTarget', { url }))
    const { sessionId } = /** @type {{ sessionId: string }} */ (
      await this.socket.send('Target.attachToTarget', { targetId, flatten: true })
    )
    const page = new CdpPage(this.socket, targetId, sessionId)
    await page.send('Runtime.enable')
    return page
  }

  /** @param {CdpPage} page */
  activate(page) {
    return this.socket.send('Target.activateTarget', { targetId: page.targetId })
  }

  /** Closes the browser (politely, then by force) and removes the profile. */
  async close() {
    /** @type {Promise<void>} */
    const exited = new Promise(resolve => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve()
      else this.child.once('exit', () => resolve())
    })
    await Promise.race([this.socket.send('Browser.close').catch(() => {}), sleep(BROWSER_CLOSE_MS)])
    this.socket.close()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_MS)
    await exited
    clearTimeout(timer)
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 3, retryDelay: PROFILE_REMOVE_RETRY_MS })
  }
}
