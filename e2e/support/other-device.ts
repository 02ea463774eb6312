// Another device of the same user, as plain HTTP from Node: it signs in through the token
// routes and calls the session library's routes with its own bearer token (no browser, no
// cookie jar). The WebKit suite uses it where a second browser profile is not practical; a
// Playwright spec can use it too (pass the reference server's origin).
//
// What a non-browser client needs (server/core/guard.ts, session-server.ts): `Session-Vault: 1`
// on every state-changing call (POST) and a bearer token. Node's fetch sends neither
// `Sec-Fetch-Site` nor `Origin`, and requests without both pass the cross-site check.
import { ALICE } from './reference.mjs'

/** One session's entry in the library's sessions list (`GET /auth/sessions`), deadlines included. */
export interface ListedSession {
  id: string
  current: boolean
  lastSeenAt: number
  idleExpiresAt: number
  absoluteExpiresAt: number
}

export interface OtherDevice {
  /**
   * The user's other sessions (this device's own left out), with their deadlines. The list is the
   * library's (`/auth/sessions`): the reference app's `/api/sessions` does not show `idleExpiresAt`.
   * Listing counts as this device's activity, never as another session's.
   */
  othersSessions(): Promise<ListedSession[]>
  /** "Sign out all other sessions" (`POST /auth/sessions/revoke-others`); resolves how many it ended. */
  revokeOthers(): Promise<number>
  /** The HTTP status of `GET /api/me` with this device's token (200 while it is signed in). */
  me(): Promise<number>
}

/** Signs `credentials` in from Node at `origin` (the reference server, e.g. its plain-HTTP origin). */
export async function signInOtherDevice(origin: string, credentials = ALICE): Promise<OtherDevice> {
  const login = await fetch(new URL('/auth/login', origin), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Session-Vault': '1' },
    body: JSON.stringify(credentials),
  })
  if (login.status !== 200) throw new Error(`other device: /auth/login answered ${login.status}`)
  const { access_token: token } = (await login.json()) as { access_token?: unknown }
  if (typeof token !== 'string') throw new Error('other device: no access_token in the login answer')
  const call = (method: 'GET' | 'POST', path: string) =>
    fetch(new URL(path, origin), {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(method === 'POST' && { 'Session-Vault': '1' }) },
    })
  async function json<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const response = await call(method, path)
    if (response.status !== 200) throw new Error(`other device: ${method} ${path} answered ${response.status}`)
    return response.json() as Promise<T>
  }
  return {
    async othersSessions() {
      const { sessions } = await json<{ sessions: ListedSession[] }>('GET', '/auth/sessions')
      return sessions.filter(s => !s.current)
    },
    async revokeOthers() {
      return (await json<{ revoked: number }>('POST', '/auth/sessions/revoke-others')).revoked
    },
    async me() {
      const response = await call('GET', '/api/me')
      await response.body?.cancel()
      return response.status
    },
  }
}
