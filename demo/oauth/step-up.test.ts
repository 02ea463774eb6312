// The OAuth demo's step-up pieces, driven over HTTP without a browser:
// the resource server's POST /api/sensitive reads auth_time from the
// provider's introspection (extraTokenClaims copies it from the code or
// refresh token the access token was issued for), oidc-provider forces a new
// login for a max_age the provider session is older than, and the new ID
// token's auth_time (and acr, with acr_values) says so.
import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningOAuth, startOAuth } from './index.mjs'

const APP = 'http://127.0.0.1:8912'
const MAX_AGE_S = 1
let oauth: RunningOAuth
beforeAll(async () => {
  oauth = await startOAuth({ appOrigin: APP, port: 8910, resourcePort: 8911, stepUpMaxAge: MAX_AGE_S })
})
afterAll(() => oauth?.close())

/** A user agent: a cookie jar (names only: the provider scopes its cookies by path, sending all is harmless). */
function agent() {
  const jar = new Map<string, string>()
  async function get(url: string, init: RequestInit = {}) {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)]
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    return response
  }

  /** Follow redirects on the provider until the one to the app; log in when asked. Returns the code and whether a login was asked. */
  async function authorize(extra: Record<string, string> = {}) {
    const verifier = randomBytes(32).toString('base64url')
    const params = new URLSearchParams({
      client_id: oauth.clientId,
      redirect_uri: `${APP}/`,
      response_type: 'code',
      scope: 'openid profile',
      state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    })
    let url = `${oauth.issuer}/auth?${params}`
    let loggedIn = false
    for (let hop = 0; hop < 10; hop++) {
      const response = await get(url)
      const location = response.headers.get('location')
      if (response.status === 200 && /\/interaction\/[^/]+$/.test(url)) {
        const action = /action="([^"]+)"/.exec(await response.text())?.[1]
        expect(action, 'the login form').toBeTruthy()
        const posted = await get(new URL(action!, oauth.issuer).href, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ prompt: 'login', login: 'alice', password: 'any' }).toString(),
        })
        loggedIn = true
        url = new URL(posted.headers.get('location')!, oauth.issuer).href
        continue
      }
      await response.arrayBuffer()
      expect(location, `hop ${hop}: ${response.status}`).toBeTruthy()
      if (location!.startsWith(APP)) {
        const code = new URL(location!).searchParams.get('code')
        expect(code, location!).toBeTruthy()
        return { code: code!, verifier, loggedIn }
      }
      url = new URL(location!, oauth.issuer).href
    }
    throw new Error('too many redirects')
  }

  async function signIn(extra: Record<string, string> = {}) {
    const { code, verifier, loggedIn } = await authorize(extra)
    const response = await fetch(`${oauth.issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: `${APP}/`,
        client_id: oauth.clientId,
      }).toString(),
    })
    expect(response.status).toBe(200)
    const tokens = (await response.json()) as { access_token: string; id_token: string; token_type: string }
    const idToken = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()) as {
      auth_time?: number
      acr?: string
    }
    return { access: tokens.access_token, idToken, loggedIn }
  }
  return { signIn }
}

const sensitive = (access: string) =>
  fetch(`${oauth.resourceUrl}/api/sensitive`, { method: 'POST', headers: { Authorization: `Bearer ${access}` } })
const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('OAuth step-up', () => {
  it('introspection carries the sign-in auth_time; the sensitive route challenges once it is older than stepUpMaxAge', async () => {
    const user = agent()
    const signedInAt = Math.floor(Date.now() / 1000)
    const { access, loggedIn } = await user.signIn()
    expect(loggedIn).toBe(true)
    const introspection = await oauth.introspect(access)
    expect(introspection).toMatchObject({ active: true, sub: 'alice' })
    expect(introspection.auth_time).toBeGreaterThanOrEqual(signedInAt)
    expect((await sensitive(access)).status).toBe(200)

    await wait(MAX_AGE_S * 1000 + 1100)
    const challenge = await sensitive(access)
    expect(challenge.status).toBe(401)
    expect(challenge.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="${MAX_AGE_S}"`,
    )
    expect(await challenge.json()).toEqual({ error: 'insufficient_user_authentication', max_age: MAX_AGE_S })
    // Other routes do not care how old the sign-in is.
    expect(
      (await fetch(`${oauth.resourceUrl}/api/me`, { headers: { Authorization: `Bearer ${access}` } })).status,
    ).toBe(200)

    // Without max_age the provider session signs in again silently, with the old auth_time: still refused.
    const silent = await user.signIn()
    expect(silent.loggedIn).toBe(false)
    expect((await sensitive(silent.access)).status).toBe(401)

    // max_age older than the provider session: a new login, a new auth_time in the ID token and the introspection.
    const steppedUpAt = Math.floor(Date.now() / 1000)
    const stepped = await user.signIn({ max_age: String(MAX_AGE_S) })
    expect(stepped.loggedIn).toBe(true)
    expect(stepped.idToken.auth_time).toBeGreaterThanOrEqual(steppedUpAt)
    expect((await oauth.introspect(stepped.access)).auth_time).toBe(stepped.idToken.auth_time)
    expect((await sensitive(stepped.access)).status).toBe(200)
  })

  it('acr_values: the provider advertises its values and a password login answers urn:session-vault:pwd', async () => {
    const discovery = (await (await fetch(`${oauth.issuer}/.well-known/openid-configuration`)).json()) as {
      acr_values_supported?: string[]
    }
    expect(discovery.acr_values_supported).toEqual(['urn:session-vault:pwd', 'urn:session-vault:mfa'])
    const { access, idToken } = await agent().signIn({ acr_values: 'urn:session-vault:pwd' })
    expect(idToken.acr).toBe('urn:session-vault:pwd')
    expect((await oauth.introspect(access)).acr).toBe('urn:session-vault:pwd')
  })
})
