/**
 * Fixtures of the OAuth unit tests (not vault code: worker/tsconfig.json leaves it out): a fake
 * authorization server behind a `fetch` stub, an in-memory {@link OAuthStorage}, the authenticator under test.
 */
import { expect, vi } from 'vitest'
import { isSessionVaultError, type SessionVaultErrorCode } from '../../src/shared/errors.js'
import type { AuthConfig, EndReason } from '../../src/shared/protocol.js'
import type { StoredDpopKey } from './dpop.js'
import { OAuthAuthenticator } from './oauth-auth.js'
import type { OAuthStorage, PendingLogin, PersistedSession } from './oauth-store.js'

export type OAuthConfig = Extract<AuthConfig, { type: 'oauth' }>

export const ISSUER = 'https://as.example.com'
export const APP = 'https://app.example.com'
export const META = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/token/revocation`,
  introspection_endpoint: `${ISSUER}/token/introspection`,
  end_session_endpoint: `${ISSUER}/session/end`,
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
}
export const NOW = 1_800_000_000_000

export class MemoryStore implements OAuthStorage {
  pending: PendingLogin[] = []
  key: StoredDpopKey | undefined
  session: PersistedSession | undefined
  async addPending(login: PendingLogin) {
    this.pending.push(login)
  }
  async takePending(state: string | null) {
    const found = this.pending.find(p => p.state === state)
    this.pending = found ? this.pending.filter(p => p !== found) : []
    return found
  }
  async loadKey() {
    return this.key
  }
  async saveKey(key: StoredDpopKey) {
    this.key = key
  }
  async loadSession() {
    return this.session
  }
  async saveSession(session: PersistedSession) {
    this.session = session
  }
  async deleteSession() {
    this.session = undefined
  }
  async wipe() {
    this.pending = []
    this.key = undefined
    this.session = undefined
  }
}

/** A request the fake server received. */
interface Seen {
  url: string
  method: string
  headers: Headers
  body: URLSearchParams
}

const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const idToken = (payload: Record<string, unknown>) => `${enc({ alg: 'RS256' })}.${enc(payload)}.c2ln`
/** The payload of a JWT (a DPoP proof, say). */
export const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())

/** What the fake server saw and answers, and the session ends the authenticator reported; reset by {@link serve}. */
export const fake = {
  seen: [] as Seen[],
  tokenAnswer: (() => json(500, {})) as (request: Seen, n: number) => Response,
  ended: [] as EndReason[],
}

export function config(extra: Partial<OAuthConfig> = {}): OAuthConfig {
  return {
    type: 'oauth',
    issuer: ISSUER,
    clientId: 'spa',
    redirectUri: `${APP}/callback`,
    scope: 'openid offline_access',
    dpop: false,
    persist: 'none',
    postLogoutRedirectUri: `${APP}/bye`,
    ...extra,
  }
}

export function make(extra: Partial<OAuthConfig> = {}, store = new MemoryStore()) {
  const auth = new OAuthAuthenticator(
    config(extra),
    'test:refresh',
    { end: r => fake.ended.push(r), changed: () => {}, error: () => {} },
    { now: () => NOW, store },
  )
  return { auth, store }
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

/** A token answer (fresh secret-looking tokens) whose ID token carries `nonce`. */
export function tokens(nonce: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    access_token: `at-${Math.random().toString(36).slice(2)}-secret`,
    token_type: 'Bearer',
    expires_in: 60,
    refresh_token: `rt-${Math.random().toString(36).slice(2)}-secret`,
    id_token: idToken({
      iss: ISSUER,
      sub: 'u1',
      aud: 'spa',
      exp: NOW / 1000 + 300,
      iat: NOW / 1000,
      nonce,
      sid: 'S',
      name: 'Ann',
    }),
    ...extra,
  }
}

/** For `beforeEach`: resets {@link fake} and stubs `fetch` with the fake server (discovery, token, revocation). */
export function serve(): void {
  fake.seen = []
  fake.ended = []
  fake.tokenAnswer = () => json(500, {})
  let n = 0
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = String(input)
    const request: Seen = {
      url,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: new URLSearchParams(init.body instanceof URLSearchParams ? init.body : String(init.body ?? '')),
    }
    fake.seen.push(request)
    if (url === `${ISSUER}/.well-known/openid-configuration`) return json(200, META)
    if (url === META.token_endpoint) return fake.tokenAnswer(request, n++)
    if (url === META.revocation_endpoint) return new Response('', { status: 200 })
    return json(404, {})
  })
}

/** Asserts that `promise` rejects with a SessionVaultError of `code`; resolves its message. */
export async function rejects(promise: Promise<unknown>, code: SessionVaultErrorCode): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(isSessionVaultError(error, code), String(error)).toBe(true)
    return (error as Error).message
  }
  throw new Error(`expected ${code}`)
}

/** Starts a login; returns the authorization URL's parameters. */
export async function start(auth: OAuthAuthenticator, params: Record<string, string> = {}) {
  return new URL(await auth.authorizationUrl(params)).searchParams
}

export const callbackUrl = (params: Record<string, string>) => `${APP}/callback?${new URLSearchParams(params)}`
