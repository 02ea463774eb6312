import { createServer, type Server } from 'node:http'
import express from 'express'
import Fastify from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import {
  authenticateNode,
  createSessionServer,
  expressAuthenticate,
  expressRouter,
  fastifyAuthenticate,
  fastifyPlugin,
  nodeHandler,
  type SessionServer,
  sendWebResponse,
} from '../index.js'
import { verifyDemo } from './helpers/harness.js'

const closers: (() => Promise<unknown>)[] = []
afterAll(async () => {
  for (const close of closers) await close()
})

function listen(server: Server): Promise<string> {
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)),
  )
}

function make(mode: 'token' | 'cookie' = 'token'): SessionServer {
  return createSessionServer({ mode, verifyCredentials: verifyDemo, logger: false })
}

async function nodeApp(mode: 'token' | 'cookie') {
  const sessions = make(mode)
  const handler = nodeHandler(sessions)
  const server = createServer((req, res) =>
    handler(req, res, async () => {
      if (req.url !== '/api/me') return void res.writeHead(404).end()
      const result = await authenticateNode(sessions, req)
      if (result instanceof Response) return sendWebResponse(res, result)
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ userId: result.userId }))
    }),
  )
  closers.push(() => new Promise(r => server.close(r)))
  return listen(server)
}

async function expressApp(mode: 'token' | 'cookie') {
  const sessions = make(mode)
  const app = express()
  app.use(expressRouter(sessions))
  app.use(express.json())
  app.all('/api/me', expressAuthenticate(sessions), (_req, res) => {
    res.json({ userId: (res.locals.sessionVault as { userId: string }).userId })
  })
  const server = createServer(app)
  closers.push(() => new Promise(r => server.close(r)))
  return listen(server)
}

async function fastifyApp(mode: 'token' | 'cookie') {
  const sessions = make(mode)
  const app = Fastify()
  await app.register(fastifyPlugin(sessions))
  app.route({
    method: ['GET', 'POST'],
    url: '/api/me',
    preHandler: fastifyAuthenticate(sessions),
    handler: async request => ({
      userId: (request as unknown as { sessionVault: { userId: string } }).sessionVault.userId,
    }),
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  closers.push(() => app.close())
  const { port } = app.server.address() as { port: number }
  return `http://127.0.0.1:${port}`
}

const SDK = { 'Session-Vault': '1' }
const pair = (r: Response, name: string) =>
  r.headers
    .getSetCookie()
    .find(l => l.startsWith(`${name}=`))
    ?.split(';')[0] ?? null

describe.each([
  ['node:http', nodeApp],
  ['Express', expressApp],
  ['Fastify', fastifyApp],
] as const)('%s adapter over real HTTP', (_name, start) => {
  it('token mode: login, authenticate, refresh, keepalive, logout', async () => {
    const base = await start('token')
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { ...SDK, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse' }),
    })
    expect(login.status).toBe(200)
    expect(login.headers.get('cache-control')).toBe('no-store')
    const { access_token } = (await login.json()) as { access_token: string }
    let cookie = pair(login, '__Host-sv_rt')!
    const me = await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${access_token}` } })
    expect([me.status, await me.json()]).toEqual([200, { userId: 'u-alice' }])
    const anon = await fetch(`${base}/api/me`)
    expect([anon.status, anon.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"'])

    const refresh = await fetch(`${base}/auth/refresh`, {
      method: 'POST',
      headers: { ...SDK, 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: 'grant_type=refresh_token',
    })
    expect(refresh.status).toBe(200)
    const next = (await refresh.json()) as { access_token: string }
    cookie = pair(refresh, '__Host-sv_rt')!
    const keepalive = await fetch(`${base}/auth/keepalive`, {
      method: 'POST',
      headers: { ...SDK, Authorization: `Bearer ${next.access_token}` },
    })
    expect(await keepalive.json()).toMatchObject({ idleExpiresIn: 900 })
    expect(keepalive.headers.get('date')).toBeTruthy()
    const crossSite = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { ...SDK, Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' },
    })
    expect(crossSite.status).toBe(403)
    const logout = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: {
        ...SDK,
        Authorization: `Bearer ${next.access_token}`,
        Cookie: cookie,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'token_type_hint=refresh_token',
    })
    expect(logout.status).toBe(200)
    expect(logout.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"')
    expect(pair(logout, '__Host-sv_rt')).toBe('__Host-sv_rt=')
    expect((await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${next.access_token}` } })).status).toBe(
      401,
    )
    const big = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { ...SDK, 'Content-Type': 'application/json' },
      body: 'x'.repeat(100_000),
    })
    expect(big.status).toBe(413)
  })

  it('cookie mode: login, session, CSRF-checked API call, logout', async () => {
    const base = await start('cookie')
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { ...SDK, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'bob', password: 'battery staple' }),
    })
    const cookie = pair(login, '__Host-sv_s')!
    const info = (await (await fetch(`${base}/auth/session`, { headers: { Cookie: cookie } })).json()) as {
      csrfToken: string
    }
    expect((await fetch(`${base}/api/me`, { method: 'POST', headers: { Cookie: cookie } })).status).toBe(403)
    const ok = await fetch(`${base}/api/me`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': info.csrfToken },
    })
    expect([ok.status, await ok.json()]).toEqual([200, { userId: 'u-bob' }])
    const out = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { ...SDK, Cookie: cookie, 'X-CSRF-Token': info.csrfToken },
    })
    expect(out.headers.get('clear-site-data')).toBeTruthy()
    expect((await fetch(`${base}/api/me`, { headers: { Cookie: cookie } })).status).toBe(401)
  })
})
