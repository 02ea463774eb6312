import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { callbackUrl, decode, fake, ISSUER, json, META, make, rejects, serve, start, tokens } from './test-fixtures.js'

beforeEach(serve)
afterEach(() => vi.unstubAllGlobals())

describe('token requests with DPoP', () => {
  it('signs the token request, retries once with the server nonce, and binds resource requests (ath)', async () => {
    const { auth } = make({ dpop: true })
    const p = await start(auth)
    fake.tokenAnswer = (_request, n) =>
      n === 0
        ? json(400, { error: 'use_dpop_nonce' }, { 'DPoP-Nonce': 'nonce-1' })
        : json(200, { ...tokens(p.get('nonce')!), token_type: 'DPoP' }, { 'DPoP-Nonce': 'nonce-2' })
    await auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER }))
    const [first, second] = fake.seen.filter(r => r.url === META.token_endpoint)
    expect(decode(first!.headers.get('DPoP')!)).toMatchObject({ htm: 'POST', htu: META.token_endpoint })
    expect(decode(first!.headers.get('DPoP')!).nonce).toBeUndefined()
    expect(decode(second!.headers.get('DPoP')!).nonce).toBe('nonce-1')
    const headers = new Headers({ Authorization: 'Basic forged', DPoP: 'forged' })
    await (await auth.grant())!.apply(headers, { method: 'PATCH', url: 'https://api.example.com/v1/x?y=1' })
    expect(headers.get('Authorization')).toMatch(/^DPoP at-/)
    const proof = decode(headers.get('DPoP')!)
    expect(proof).toMatchObject({ htm: 'PATCH', htu: 'https://api.example.com/v1/x' })
    expect(proof.ath).toBe(createHash('sha256').update(headers.get('Authorization')!.slice(5)).digest('base64url'))
  })

  it('refuses a Bearer answer when DPoP was asked for', async () => {
    const { auth } = make({ dpop: true })
    const p = await start(auth)
    fake.tokenAnswer = () => json(200, tokens(p.get('nonce')!))
    await rejects(auth.callback(callbackUrl({ code: 'c', state: p.get('state')!, iss: ISSUER })), 'ERR_TOKEN_RESPONSE')
  })
})
