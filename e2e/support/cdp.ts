import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { CHROMIUM_ARGS } from '../../playwright.config.js'

/**
 * A Chromium launched outside Playwright and driven over the raw DevTools
 * protocol. Playwright (including `connectOverCDP`) turns on focus emulation
 * for every page it attaches to, which keeps every tab `visible`; this one does
 * not, so a tab behind another one really is `hidden` and throttled.
 */

type Pending = { resolve: (value: any) => void; reject: (error: Error) => void; method: string }

/** A minimal WebSocket client (RFC 6455 text frames, masked, no extensions): enough for CDP. Node 20 has no WebSocket. */
class CdpSocket {
  #socket: Socket
  #buffer = Buffer.alloc(0)
  #fragments: Buffer[] = []
  #nextId = 1
  #pending = new Map<number, Pending>()
  #closed = false
  readonly listeners = new Set<(message: { method: string; params: any; sessionId?: string }) => void>()

  private constructor(socket: Socket, head: Buffer) {
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('close', () => this.#fail(new Error('CDP socket closed')))
    socket.on('error', (error) => this.#fail(error))
    if (head.length) this.#onData(head)
  }

  static connect(url: string): Promise<CdpSocket> {
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
      req.on('response', (res) => reject(new Error(`CDP upgrade refused: ${res.statusCode}`)))
      req.on('error', reject)
      req.end()
    })
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> {
    if (this.#closed) return Promise.reject(new Error(`CDP socket closed (${method})`))
    const id = this.#nextId++
    const message = JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params })
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method })
      this.#write(Buffer.from(message))
    })
  }

  close(): void {
    this.#closed = true
    this.#socket.destroy()
  }

  #write(payload: Buffer): void {
    const length = payload.length
    const header =
      length < 126
        ? Buffer.from([0x81, 0x80 | length])
        : length < 65536
          ? Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff])
          : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), bigEndian64(length)])
    const mask = randomBytes(4)
    const masked = Buffer.alloc(length)
    for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i % 4]!
    this.#socket.write(Buffer.concat([header, mask, masked]))
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk])
    for (;;) {
      const buffer = this.#buffer
      if (buffer.length < 2) return
      const fin = (buffer[0]! & 0x80) !== 0
      const opcode = buffer[0]! & 0x0f
      let length = buffer[1]! & 0x7f
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

  #onMessage(message: any): void {
    if (typeof message.id === 'number') {
      const pending = this.#pending.get(message.id)
      if (!pending) return
      this.#pending.delete(message.id)
      if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`))
      else pending.resolve(message.result)
    } else {
      for (const listener of this.listeners) listener(message)
    }
  }

  #fail(error: Error): void {
    this.#closed = true
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}

function bigEndian64(value: number): Buffer {
  const out = Buffer.alloc(8)
  out.writeBigUInt64BE(BigInt(value))
  return out
}

/** A page target, attached with a flat session. */
export class CdpPage {
  constructor(private readonly socket: CdpSocket, readonly targetId: string, readonly sessionId: string) {}

  send(method: string, params: Record<string, unknown> = {}): Promise<any> {
    return this.socket.send(method, params, this.sessionId)
  }

  /** Evaluates an expression (awaiting a promise), returns its JSON value; page exceptions are thrown. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })
    if (exceptionDetails) {
      throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`)
    }
    return result.value as T
  }

  /** Polls `expression` until it is truthy (without relying on the page's own timers). */
  async waitFor<T = unknown>(expression: string, timeoutMs: number, intervalMs = 100): Promise<T> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const value = await this.evaluate<T>(expression)
      if (value) return value
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`)
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  }
}

/** A Chromium process of our own, with a throw-away profile. */
export class RawChromium {
  private constructor(
    private readonly process: ChildProcess,
    private readonly profile: string,
    readonly socket: CdpSocket,
  ) {}

  static async launch(): Promise<RawChromium> {
    const executable = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : 'chromium')
    const profile = mkdtempSync(join(tmpdir(), 'session-vault-e2e-'))
    const child = spawn(
      executable,
      ['--headless', '--remote-debugging-port=0', `--user-data-dir=${profile}`, ...CHROMIUM_ARGS, 'about:blank'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = ''
        const timer = setTimeout(() => reject(new Error(`Chromium did not print its DevTools URL:\n${stderr}`)), 20_000)
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString()
          const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr)
          if (match) {
            clearTimeout(timer)
            resolve(match[1]!)
          }
        })
        child.once('exit', (code) => {
          clearTimeout(timer)
          reject(new Error(`Chromium exited (${code}) before it was ready:\n${stderr}`))
        })
        child.once('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
      })
      child.stderr!.resume()
      return new RawChromium(child, profile, await CdpSocket.connect(url))
    } catch (error) {
      child.kill('SIGKILL')
      rmSync(profile, { recursive: true, force: true })
      throw error
    }
  }

  /** `Target.createTarget` (a new tab, made the active one), attached with a flat session. */
  async newTab(url: string): Promise<CdpPage> {
    const { targetId } = await this.socket.send('Target.createTarget', { url })
    const { sessionId } = await this.socket.send('Target.attachToTarget', { targetId, flatten: true })
    const page = new CdpPage(this.socket, targetId, sessionId)
    await page.send('Runtime.enable')
    return page
  }

  activate(page: CdpPage): Promise<void> {
    return this.socket.send('Target.activateTarget', { targetId: page.targetId })
  }

  /** Closes the browser (politely, then by force) and removes the profile. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) resolve()
      else this.process.once('exit', () => resolve())
    })
    await Promise.race([this.socket.send('Browser.close').catch(() => {}), new Promise((r) => setTimeout(r, 2_000))])
    this.socket.close()
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 3_000)
    await exited
    clearTimeout(timer)
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 })
  }
}
