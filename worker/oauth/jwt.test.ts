import { describe, expect, it } from 'vitest'
import { isSessionVaultError } from '../../src/shared/errors.js'
import { checkIdToken, decodeJwt, type IdTokenExpectations, publicClaims } from './jwt.js'

const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) =>
  `${enc(header)}.${enc(payload)}.c2lnbmF0dXJl`

const NOW = 1_800_000_000
const ISSUER = 'https://login.example.com'
const CLIENT = 'spa'
const good = {
  iss: ISSUER,
  sub: 'user-1',
  aud: CLIENT,
  exp: NOW + 600,
  iat: NOW - 5,
  nonce: 'n-0S6_WzA2Mj',
  auth_time: NOW - 10,
  name: 'Alice',
  at_hash: 'x',
  sid: 'provider-session',
  jti: 'j',
}
const expectations: IdTokenExpectations = { issuer: ISSUER, clientId: CLIENT, nonce: good.nonce, now: NOW }

function refused(token: string, expect_ = expectations): string {
  try {
    checkIdToken(token, expect_)
  } catch (error) {
    expect(isSessionVaultError(error, 'ERR_TOKEN_RESPONSE')).toBe(true)
    const message = (error as Error).message
    expect(message).not.toContain(token)
    expect(message).not.toContain('user-1')
    return message
  }
  throw new Error('expected the ID token to be refused')
}

describe('decodeJwt', () => {
  it('decodes a compact JWS', () => {
    expect(decodeJwt(jwt({ a: 1 }))).toEqual({ header: { alg: 'RS256', typ: 'JWT' }, payload: { a: 1 } })
  })

  it('refuses unsigned, encrypted and malformed tokens', () => {
    expect(() => decodeJwt(jwt({ a: 1 }, { alg: 'none' }))).toThrow(/unsigned/)
    expect(() => decodeJwt(`${enc({ alg: 'RS256' })}.${enc({})}.`)).toThrow(/unsigned/)
    expect(() => decodeJwt('a.b.c.d.e')).toThrow(/compact JWS/)
    expect(() => decodeJwt(`${enc({ alg: 'RS256' })}.bm90IGpzb24.c2ln`)).toThrow(/payload/)
    expect(() => decodeJwt(`${enc([1])}.${enc({})}.c2ln`)).toThrow(/header/)
  })
})

describe('checkIdToken (OIDC Core 3.1.3.7)', () => {
  it('accepts a good token and returns its payload', () => {
    expect(checkIdToken(jwt(good), expectations)).toEqual(good)
  })

  it('checks iss exactly', () => {
    expect(refused(jwt({ ...good, iss: `${ISSUER}/` }))).toMatch(/iss/)
    expect(refused(jwt({ ...good, iss: undefined }))).toMatch(/iss/)
  })

  it('checks aud, and azp when there are several audiences', () => {
    expect(refused(jwt({ ...good, aud: 'other' }))).toMatch(/aud/)
    expect(refused(jwt({ ...good, aud: ['other', 'third'] }))).toMatch(/aud/)
    expect(refused(jwt({ ...good, aud: [CLIENT, 'other'] }))).toMatch(/azp missing/)
    expect(refused(jwt({ ...good, aud: [CLIENT, 'other'], azp: 'other' }))).toMatch(/azp/)
    expect(checkIdToken(jwt({ ...good, aud: [CLIENT, 'other'], azp: CLIENT }), expectations).sub).toBe('user-1')
    expect(checkIdToken(jwt({ ...good, aud: [CLIENT] }), expectations).sub).toBe('user-1')
    expect(refused(jwt({ ...good, azp: 'other' }))).toMatch(/azp/)
  })

  it('checks the nonce of a login, not of a refresh', () => {
    expect(refused(jwt({ ...good, nonce: 'other' }))).toMatch(/nonce/)
    expect(refused(jwt({ ...good, nonce: undefined }))).toMatch(/nonce/)
    const { nonce: _, ...refreshed } = good
    expect(checkIdToken(jwt(refreshed), { issuer: ISSUER, clientId: CLIENT, now: NOW, sub: 'user-1' }).sub).toBe(
      'user-1',
    )
  })

  it('checks exp and iat with the clock skew', () => {
    expect(refused(jwt({ ...good, exp: NOW - 301 }))).toMatch(/expired/)
    expect(checkIdToken(jwt({ ...good, exp: NOW - 299, iat: NOW - 900 }), expectations).sub).toBe('user-1')
    expect(refused(jwt({ ...good, exp: 'soon' }))).toMatch(/exp/)
    expect(refused(jwt({ ...good, iat: NOW + 301 }))).toMatch(/future/)
    expect(refused(jwt({ ...good, iat: undefined }))).toMatch(/iat/)
    expect(refused(jwt({ ...good, iat: NOW + 700, exp: NOW + 600 }), { ...expectations, now: NOW + 500 })).toMatch(
      /iat after exp/,
    )
  })

  it('checks sub, and that a refreshed token is about the same user', () => {
    expect(refused(jwt({ ...good, sub: '' }))).toMatch(/sub/)
    expect(refused(jwt({ ...good, sub: 'user-2' }), { ...expectations, sub: 'user-1' })).toMatch(/sub changed/)
  })
})

describe('publicClaims', () => {
  it('drops nonce, hashes, sid, jti and cnf, keeps profile claims', () => {
    const claims = publicClaims({
      ...good,
      c_hash: 'c',
      s_hash: 's',
      cnf: { jkt: 'k' },
      custom_hash: 'h',
      email: 'a@example.com',
    })
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'user-1',
      aud: CLIENT,
      exp: good.exp,
      iat: good.iat,
      auth_time: good.auth_time,
      name: 'Alice',
      email: 'a@example.com',
    })
  })
})
