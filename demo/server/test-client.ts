// Helpers of the reference server's own tests (demo/server/*.test.ts): an
// in-process server and a tiny cookie-aware client built on Node's fetch.
// Tokens stay inside these helpers' return values; tests compare them as
// booleans so a failing assertion never prints one.
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { startServer } from './app.mjs'
import type { Counters } from './test-support/counters.mjs'

export const VAULT = { 'Session-Vault': '1' } as const
export const ALICE = { username: 'alice', password: 'correct horse' }
export const BOB = { username: 'bob', password: 'battery staple' }
export const REFRESH_COOKIE = '__Host-sv_rt'

export type Server = Awaited<ReturnType<typeof startServer>> & { origin: string }

export async function start(options: Parameters<typeof startServer>[0] = {}): Promise<Server> {
  const server = await startServer({ port: 0, test: true, quiet: true, ...options })
  return { ...server, origin: new URL(server.url).origin }
}

/** Forgets every session, counter and throttle of a test-mode server. */
export async function resetServer(server: Server): Promise<void> {
  expect((await fetch(`${server.origin}/test/reset`, { method: 'POST' })).status).toBe(200)
}

/**
 * The fixture of a test file: one in-process reference server for the file (started before its
 * first test, closed after the last), reset before each test. The object is filled in by `beforeAll`.
 */
export function useReferenceServer(options: Parameters<typeof start>[0] = {}): Server {
  const server = {} as Server
  beforeAll(async () => {
    Object.assign(server, await start(options))
  })
  afterAll(() => server.close())
  beforeEach(() => resetServer(server))
  return server
}

/** The value of one cookie in a response's Set-Cookie headers ('' = cleared; undefined = not set). */
export function cookieFrom(response: Response, name = REFRESH_COOKIE): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const match = new RegExp(`^${name.replace(/[-$]/g, '\\$&')}=([^;]*)`).exec(line)
    if (match) return match[1]
  }
  return undefined
}

/** Max-Age of one cookie in a response's Set-Cookie headers. */
export function maxAgeOf(response: Response, name = REFRESH_COOKIE): number | undefined {
  const line = response.headers.getSetCookie().find(l => l.startsWith(`${name}=`))
  const match = line && /;\s*Max-Age=(\d+)/i.exec(line)
  return match ? Number(match[1]) : undefined
}

/** Headers a same-origin fetch from a page (or the vault) of `origin` carries. */
export function sameOrigin(origin: string): Record<string, string> {
  return { 'Sec-Fetch-Site': 'same-origin', Origin: origin, ...VAULT }
}

export interface Tokens {
  status: number
  access?: string
  refresh?: string
  sessionId?: string
  response: Response
}

/** POST /auth/login (JSON) with the vault's headers plus `headers`. */
export async function tokenLogin(
  server: Server,
  credentials = ALICE,
  headers: Record<string, string> = {},
): Promise<Tokens> {
  const response = await fetch(`${server.origin}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...sameOrigin(server.origin), ...headers },
    body: JSON.stringify(credentials),
  })
  return readTokens(response)
}

/** POST /auth/refresh (form `grant_type=refresh_token` + `extra`) with the refresh cookie `cookie`. */
export async function tokenRefresh(
  server: Server,
  cookie: string | undefined,
  { extra = {}, headers = {} }: { extra?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Tokens> {
  const response = await fetch(`${server.origin}/auth/refresh`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...sameOrigin(server.origin),
      ...(cookie !== undefined && { Cookie: `${REFRESH_COOKIE}=${cookie}` }),
      ...headers,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', ...extra }).toString(),
  })
  return readTokens(response)
}

async function readTokens(response: Response): Promise<Tokens> {
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(text)
  } catch {}
  return {
    status: response.status,
    access: typeof body.access_token === 'string' ? body.access_token : undefined,
    refresh: cookieFrom(response) || undefined,
    sessionId: typeof body.session_id === 'string' ? body.session_id : undefined,
    response,
  }
}

/** GET /api/me with a bearer token: the username, or the status when refused. */
export async function whoAmI(server: Server, access: string | undefined): Promise<string | number> {
  const response = await fetch(`${server.origin}/api/me`, {
    headers: access ? { Authorization: `Bearer ${access}` } : {},
  })
  if (response.status !== 200) {
    await response.arrayBuffer()
    return response.status
  }
  return ((await response.json()) as { username: string }).username
}

export async function testJson<T = unknown>(server: Server, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server.origin}${path}`, init)
  if (!response.ok) throw new Error(`${path}: ${response.status}`)
  return (await response.json()) as T
}

export const events = (server: Server) => testJson<Array<Record<string, unknown>>>(server, '/test/events')
export const counters = (server: Server) => testJson<Counters>(server, '/test/counters')
export const issued = (server: Server) => testJson<{ all: string[] }>(server, '/test/tokens')

/** A /classic/ login: fetch the form (login CSRF cookie + token), then post it. */
export async function classicLogin(
  server: Server,
  credentials = ALICE,
): Promise<{ status: number; location: string | null; session?: string; response: Response }> {
  const page = await fetch(`${server.origin}/classic/login`)
  const html = await page.text()
  const pre = cookieFrom(page, '__Host-sv_pre')
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const response = await fetch(`${server.origin}/classic/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: `__Host-sv_pre=${pre}`,
      'User-Agent': 'classic-test',
    },
    body: new URLSearchParams({ csrf, ...credentials }).toString(),
  })
  await response.arrayBuffer()
  return {
    status: response.status,
    location: response.headers.get('location'),
    session: cookieFrom(response, '__Host-sv_s') || undefined,
    response,
  }
}

/** Whether a /classic/ session cookie still names a live session. */
export async function classicLive(server: Server, session: string | undefined): Promise<boolean> {
  const response = await fetch(`${server.origin}/classic/session`, { headers: { Cookie: `__Host-sv_s=${session}` } })
  return ((await response.json()) as { authenticated: boolean }).authenticated
}
