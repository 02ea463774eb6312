// Global setup of the WebKit suite (`npm run test:webkit`): checks that every
// piece is installed (else fails at once with what to install), starts one
// X server (Xvfb, on a display it picks itself) and one WebKitWebDriver for
// all test files, and stops both afterwards, also when a file fails or the
// run is interrupted. Each test file then starts its own reference server and
// WebDriver session (e2e/webkit/driver.ts); WebKitWebDriver allows one
// session at a time, so files run one after another.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import type { TestProject } from 'vitest/node'
import { ENGINES, missingEngines } from '../support/browsers.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** WebKitWebDriver's URL, e.g. http://127.0.0.1:4444 */
    webdriverUrl: string
  }
}

const children: ChildProcess[] = []

function stopAll(): void {
  for (const child of children.splice(0).reverse()) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  }
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Starts Xvfb on a free display (`-displayfd`: the X server picks it and tells us); resolves ':N'. */
function startXvfb(): Promise<string> {
  return new Promise((resolve, reject) => {
    const xvfb = spawn(ENGINES.webkit.xvfb!, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    })
    children.push(xvfb)
    let stderr = ''
    let out = ''
    xvfb.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s: ${stderr.slice(-500)}`)), 10_000)
    ;(xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /^(\d+)\n/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(`:${match[1]}`)
      }
    })
    xvfb.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Xvfb exited (${code}): ${stderr.slice(-500)}`))
    })
  })
}

/** Starts WebKitWebDriver on a free port with DISPLAY set; resolves its URL once /status answers. */
async function startDriver(display: string): Promise<string> {
  const port = await freePort()
  const driver = spawn(ENGINES.webkit.path!, [`--port=${port}`, '--host=127.0.0.1'], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(driver)
  let stderr = ''
  driver.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)))
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
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`WebKitWebDriver did not answer on ${url} within 10 s: ${stderr}`)
}

export default async function setup(project: TestProject): Promise<() => void> {
  const missing = missingEngines(['webkit'])
  if (missing.length > 0) throw new Error(missing.join('\n'))
  if (spawnSync('openssl', ['version']).status !== 0) {
    throw new Error('webkit: openssl not found (the suite makes a throw-away TLS certificate). Install it with: apt-get install openssl')
  }
  process.once('exit', stopAll)
  try {
    const display = await startXvfb()
    project.provide('webdriverUrl', await startDriver(display))
  } catch (error) {
    stopAll()
    throw error
  }
  return stopAll
}
