import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fromBase64url } from '../../src/shared/encoding.js'
import { asksForNonce, createProof, DpopNonces, generateDpopKey, htuOf, jwkThumbprint, usableKey } from './dpop.js'

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))

describe('DPoP key', () => {
  it('is a non-extractable P-256 signing key with an exportable public JWK', async () => {
    const key = await generateDpopKey()
    expect(key.privateKey.extractable).toBe(false)
    expect(key.privateKey.type).toBe('private')
    expect(key.privateKey.usages).toEqual(['sign'])
    await expect(crypto.subtle.exportKey('jwk', key.privateKey)).rejects.toThrow()
    await expect(crypto.subtle.exportKey('pkcs8', key.privateKey)).rejects.toThrow()
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y'])
    expect(key.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('computes the RFC 7638 thumbprint', async () => {
    // RFC 7638 members in lexicographic order, no whitespace.
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    } as const
    const expected = createHash('sha256')
      .update(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`)
      .digest('base64url')
    expect(await jwkThumbprint(jwk)).toBe(expected)
  })

  it('accepts only a stored non-extractable ECDSA P-256 private key', async () => {
    const key = await generateDpopKey()
    expect((await usableKey({ privateKey: key.privateKey, publicJwk: key.publicJwk }))?.thumbprint).toBe(key.thumbprint)
    const extractable = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])
    expect(await usableKey({ privateKey: extractable.privateKey, publicJwk: key.publicJwk })).toBeUndefined()
    const p384 = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify'])
    expect(await usableKey({ privateKey: p384.privateKey, publicJwk: key.publicJwk })).toBeUndefined()
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
    expect(await usableKey({ privateKey: pair.publicKey, publicJwk: key.publicJwk })).toBeUndefined()
    expect(await usableKey({ privateKey: 'nope', publicJwk: key.publicJwk })).toBeUndefined()
    expect(await usableKey({ privateKey: key.privateKey, publicJwk: { kty: 'RSA' } })).toBeUndefined()
    expect(await usableKey(undefined)).toBeUndefined()
  })
})

describe('DPoP proof (RFC 9449 section 4)', () => {
  it('has the right header and claims, and a valid ES256 signature', async () => {
    const key = await generateDpopKey()
    const now = 1_800_000_000_123
    const proof = await createProof(key, {
      htm: 'GET',
      url: 'https://api.example.com/v1/notes?page=2#top',
      accessToken: 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU',
      nonce: 'eyJ7S_zG.eyJH0-Z.HX4w-7v',
      now,
    })
    const [h, p, s] = proof.split('.')
    const header = decode(h!)
    const payload = decode(p!)
    expect(header).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.publicJwk })
    expect(payload).toMatchObject({
      htm: 'GET',
      htu: 'https://api.example.com/v1/notes',
      iat: 1_800_000_000,
      nonce: 'eyJ7S_zG.eyJH0-Z.HX4w-7v',
      // RFC 9449 section 7.1 example: ath of that access token.
      ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    })
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const verifyKey = await crypto.subtle.importKey('jwk', header.jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'verify',
    ])
    const signature = fromBase64url(s!)
    expect(signature.length).toBe(64)
    const ok = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      verifyKey,
      signature,
      new TextEncoder().encode(`${h}.${p}`),
    )
    expect(ok).toBe(true)
    const tampered = new TextEncoder().encode(`${h}.${p!.slice(0, -2)}AA`)
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, verifyKey, signature, tampered)).toBe(false)
  })

  it('leaves ath and nonce out when not given, and uses a fresh jti every time', async () => {
    const key = await generateDpopKey()
    const a = decode((await createProof(key, { htm: 'POST', url: 'https://as.example.com/token' })).split('.')[1]!)
    const b = decode((await createProof(key, { htm: 'POST', url: 'https://as.example.com/token' })).split('.')[1]!)
    expect(Object.keys(a).sort()).toEqual(['htm', 'htu', 'iat', 'jti'])
    expect(a.jti).not.toBe(b.jti)
  })

  it('htu drops query and fragment only', () => {
    expect(htuOf('https://API.example.com:443/a/b?c=d#e')).toBe('https://api.example.com/a/b')
    expect(htuOf('http://127.0.0.1:8799/api/me')).toBe('http://127.0.0.1:8799/api/me')
  })
})

describe('DPoP nonces', () => {
  it('remembers the latest nonce per origin and says when it is new', () => {
    const nonces = new DpopNonces()
    expect(nonces.learn('https://as.example.com/token', new Headers({ 'DPoP-Nonce': 'n1' }))).toBe(true)
    expect(nonces.learn('https://as.example.com/other', new Headers({ 'DPoP-Nonce': 'n1' }))).toBe(false)
    expect(nonces.get('https://as.example.com/anything?x')).toBe('n1')
    expect(nonces.get('https://api.example.com/')).toBeUndefined()
    expect(nonces.learn('https://as.example.com/token', new Headers({ 'DPoP-Nonce': 'bad"nonce' }))).toBe(false)
    expect(nonces.learn('https://as.example.com/token', new Headers())).toBe(false)
    nonces.clear()
    expect(nonces.get('https://as.example.com/')).toBeUndefined()
  })

  it('recognises use_dpop_nonce from an AS (400) and an RS (401)', () => {
    expect(asksForNonce(400, new Headers(), 'use_dpop_nonce')).toBe(true)
    expect(asksForNonce(400, new Headers(), 'invalid_grant')).toBe(false)
    expect(
      asksForNonce(401, new Headers({ 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="x"' })),
    ).toBe(true)
    expect(
      asksForNonce(
        401,
        new Headers({ 'WWW-Authenticate': 'Bearer realm="a", DPoP algs="ES256" error="use_dpop_nonce"' }),
      ),
    ).toBe(true)
    expect(asksForNonce(401, new Headers({ 'WWW-Authenticate': 'DPoP error="invalid_token"' }))).toBe(false)
    expect(asksForNonce(401, new Headers({ 'WWW-Authenticate': 'Bearer error="use_dpop_nonce"' }))).toBe(false)
  })
})
