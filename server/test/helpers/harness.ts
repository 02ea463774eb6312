import { createSessionServer, type LogEntry, memoryStore, type SessionServerOptions } from '../../index.js'

export const ORIGIN = 'https://app.example'
export const USERS: Record<string, { password: string; id: string }> = {
  alice: { password: 'correct horse', id: 'u-alice' },
  bob: { password: 'battery staple', id: 'u-bob' },
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2030, 0, 1)) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) }
}

export async function verifyDemo(credentials: Record<string, unknown>) {
  const user = typeof credentials.username === 'string' ? USERS[credentials.username] : undefined
  return user && credentials.password === user.password ? { id: user.id, claims: { name: credentials.username } } : null
}

/** A server with an injected clock and a captured log. */
export function setup(overrides: Partial<SessionServerOptions> = {}) {
  const clock = manualClock()
  const logs: LogEntry[] = []
  const store = memoryStore({ now: clock.now, sweepInterval: 0 })
  const server = createSessionServer({
    mode: 'token',
    verifyCredentials: verifyDemo,
    store,
    now: clock.now,
    logger: entry => logs.push(entry),
    ...overrides,
  })
  return { server, clock, logs, store }
}

export interface Call {
  method?: string
  headers?: Record<string, string>
  body?: string
  cookie?: string | null
  bearer?: string | null
  sdkHeader?: boolean
}

/** A Request to the app origin, with the SDK's header on unless told otherwise. */
export function request(path: string, call: Call = {}): Request {
  const headers = new Headers(call.headers)
  const method = call.method ?? 'POST'
  if (call.sdkHeader !== false && method !== 'GET') headers.set('Session-Vault', '1')
  if (call.cookie) headers.set('Cookie', call.cookie)
  if (call.bearer) headers.set('Authorization', `Bearer ${call.bearer}`)
  return new Request(ORIGIN + path, { method, headers, ...(call.body !== undefined && { body: call.body }) })
}

export const json = (value: unknown): Pick<Call, 'headers' | 'body'> => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
})

export const form = (value: Record<string, string>): Pick<Call, 'headers' | 'body'> => ({
  headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
  body: new URLSearchParams(value).toString(),
})

/** The `name=value` of a Set-Cookie for `name`, or null. */
export function cookieFrom(response: Response, name: string): string | null {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';')
    if (pair!.startsWith(`${name}=`)) return pair!
  }
  return null
}

/** A signed-in token-mode session: tokens plus the refresh cookie pair. */
export async function loginToken(server: ReturnType<typeof setup>['server'], username = 'alice', extra: Call = {}) {
  const response = (await server.handle(
    request('/auth/login', { ...json({ username, password: USERS[username]!.password }), ...extra }),
  ))!
  if (response.status !== 200) throw new Error(`login ${response.status}`)
  const body = (await response.json()) as { access_token: string; session_id: string; expires_in: number }
  return {
    response,
    body,
    access: body.access_token,
    cookie: cookieFrom(response, '__Host-sv_rt')!,
    sessionId: body.session_id,
  }
}

export async function refreshWith(server: ReturnType<typeof setup>['server'], cookie: string, extra: Call = {}) {
  const response = (await server.handle(
    request('/auth/refresh', { ...form({ grant_type: 'refresh_token' }), cookie, ...extra }),
  ))!
  const body =
    response.status === 200
      ? ((await response.json()) as { access_token: string; session_id: string; expires_in: number })
      : null
  return { response, body, access: body?.access_token ?? null, cookie: cookieFrom(response, '__Host-sv_rt') }
}

export async function api(server: ReturnType<typeof setup>['server'], access: string | null, method = 'GET') {
  return server.authenticate(request('/api/me', { method, bearer: access, sdkHeader: false }))
}
