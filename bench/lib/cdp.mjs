// A Chromium launched outside Playwright and driven over the raw DevTools
// protocol (used by the benchmarks and by e2e/hidden-tab). Playwright,
// connectOverCDP included, turns on focus emulation for every page it attaches
// to, which keeps every tab `visible`; a tab behind another one here really is
// `hidden`, with its page timers throttled.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A minimal WebSocket client (RFC 6455 text frames, masked, no extensions): enough for CDP. Node 20 has no WebSocket. */
class CdpSocket {
  #socket
  #buffer = Buffer.alloc(0)
  #fragments = []
  #nextId = 1
  #pending = new Map()
  #closed = false

  constructor(socket, head) {
    this.#socket = socket
    socket.on('data', chunk => this.#onData(chunk))
    socket.on('close', () => this.#fail(new Error('CDP socket closed')))
    socket.on('error', error => this.#fail(error))
    if (head.length) this.#onData(head)
  }

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
    for (let i = 0; i < length; i++) masked[i] = payload[i] ^ mask[i % 4]
    this.#socket.write(Buffer.concat([header, mask, masked]))
  }

  #onData(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk])
    for (;;) {
      const buffer = this.#buffer
      if (buffer.length < 2) return
      const fin = (buffer[0] & 0x80) !== 0
      const opcode = buffer[0] & 0x0f
      let length = buffer[1] & 0x7f
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

  #onMessage(message) {
    if (typeof message.id !== 'number') return // events: not needed here
    const pending = this.#pending.get(message.id)
    if (!pending) return
    this.#pending.delete(message.id)
    if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`))
    else pending.resolve(message.result)
  }

  #fail(error) {
    this.#closed = true
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}

/** A page target, attached with a flat session. */
export class CdpPage {
  constructor(socket, targetId, sessionId) {
    this.socket = socket
    this.targetId = targetId
    this.sessionId = sessionId
  }

  send(method, params = {}) {
    return this.socket.send(method, params, this.sessionId)
  }

  /** Evaluates an expression (awaiting a promise) and returns its JSON value; page exceptions are thrown. */
  async evaluate(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })
    if (exceptionDetails) throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`)
    return result.value
  }

  /**
   * Polls `expression` from here (not with the page's own, throttled timers) until it is truthy.
   * While the tab is between documents there is no execution context yet: that counts as "not yet".
   */
  async waitFor(expression, timeoutMs, intervalMs = 50) {
    const end = Date.now() + timeoutMs
    for (;;) {
      const value = await this.evaluate(expression).catch(error => {
        if (/execution context/i.test(error.message)) return undefined
        throw error
      })
      if (value) return value
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`)
      await new Promise(resolve => setTimeout(resolve, intervalMs))
    }
  }
}

/** A Chromium process of our own, headless, with a throw-away profile and `--remote-debugging-port=0`. */
export class RawChromium {
  constructor(child, profile, socket) {
    this.child = child
    this.profile = profile
    this.socket = socket
  }

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
      const url = await new Promise((resolve, reject) => {
        let stderr = ''
        const timer = setTimeout(() => reject(new Error(`Chromium did not print its DevTools URL:\n${stderr}`)), 20_000)
        child.stderr.on('data', chunk => {
          stderr += chunk.toString()
          const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr)
          if (match) {
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
    return (await this.socket.send('Browser.getVersion')).product
  }

  /** `Target.createTarget` (a new tab, made the active one), attached with a flat session. */
  async newTab(url) {
    const { targetId } = await this.socket.send('Target.createTarget', { url })
    const { sessionId } = await this.socket.send('Target.attachToTarget', { targetId, flatten: true })
    const page = new CdpPage(this.socket, targetId, sessionId)
    await page.send('Runtime.enable')
    return page
  }

  activate(page) {
    return this.socket.send('Target.activateTarget', { targetId: page.targetId })
  }

  /** Closes the browser (politely, then by force) and removes the profile. */
  async close() {
    const exited = new Promise(resolve => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve()
      else this.child.once('exit', () => resolve())
    })
    await Promise.race([this.socket.send('Browser.close').catch(() => {}), new Promise(r => setTimeout(r, 2_000))])
    this.socket.close()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3_000)
    await exited
    clearTimeout(timer)
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 })
  }
}
