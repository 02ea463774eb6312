import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { base64url, challengeOf, fromBase64url, randomToken, sha256 } from './encoding.js'

describe('base64url', () => {
  it('round-trips every byte value without padding or +/', () => {
    const bytes = new Uint8Array(256).map((_, i) => i)
    const text = base64url(bytes)
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(fromBase64url(text)).toEqual(bytes)
    expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'))
  })

  it('refuses text that is not base64url', () => {
    expect(() => fromBase64url('a+b/')).toThrow()
    expect(() => fromBase64url('abcde')).toThrow()
  })
})

describe('randomToken', () => {
  it('gives 43 characters (256 bits) by default, all different', () => {
    const seen = new Set(Array.from({ length: 200 }, () => randomToken()))
    expect(seen.size).toBe(200)
    for (const token of seen) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})

describe('PKCE S256 (RFC 7636)', () => {
  it('matches the RFC 7636 appendix B example', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    )
  })

  it('a 32-byte random token is a 43-character verifier, and challengeOf gives its SHA-256 challenge', async () => {
    const verifier = randomToken(32)
    const challenge = await challengeOf(verifier)
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'))
    expect(challenge).not.toBe(verifier)
  })

  it('refuses verifiers outside 43-128 unreserved characters', () => {
    expect(() => challengeOf('short')).toThrow()
    expect(() => challengeOf('a'.repeat(129))).toThrow()
    expect(() => challengeOf(`${'a'.repeat(42)}+`)).toThrow()
  })

  it('sha256 is base64url of the UTF-8 digest', async () => {
    expect(await sha256('héllo')).toBe(createHash('sha256').update('héllo', 'utf8').digest('base64url'))
  })
})
