import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const REDIS_BIN = process.env.REDIS_SERVER ?? '/usr/bin/redis-server'

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** A throwaway redis-server (no persistence) on a free port, in a temp dir. */
export async function startRedis() {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'sv-redis-'))
  let child: ChildProcess | null = null

  async function up(): Promise<void> {
    child = spawn(
      REDIS_BIN,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      {
        stdio: 'ignore',
      },
    )
    for (let i = 0; i < 100; i++) {
      if (await canConnect(port)) return
      await new Promise(r => setTimeout(r, 50))
    }
    throw new Error('redis-server did not start')
  }

  async function down(): Promise<void> {
    const c = child
    child = null
    if (!c || c.exitCode !== null) return
    const exited = new Promise(r => c.once('exit', r))
    c.kill('SIGKILL')
    await exited
  }

  await up()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    /** Kill it (data lost: no persistence). */
    stop: down,
    /** Start it again on the same port. */
    start: up,
    async close() {
      await down()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
