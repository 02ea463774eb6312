import { describe, expect, it } from 'vitest'
import { isSessionVaultError } from '../../src/shared/errors.js'
import { DpopNonces, generateDpopKey } from './dpop.js'
import { asksForNewNonce, resourceGrant } from './resource-grant.js'
import { decode } from './test-fixtures.js'

const API = 'https://api.example.com/v1/x'
const context = (key?: Awaited<ReturnType<typeof generateDpopKey>>, nonces = new DpopNonces()) => ({
  isReserved: (url: string) => url.startsWith('https://as.example.com/'),
  key: async () => key,
  nonces,
})
const asksForNonce = (nonce: string) =>
  Object.defineProperty(
    new Response('', {
      status: 401,
      headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': nonce },
    }),
    'url',
    { value: API },
  )

describe('resourceGrant', () => {
  it('Bearer: sets the token and drops any DPoP header the page sent', async () => {
    const grant = resourceGrant({ accessToken: 'at', tokenType: 'Bearer', generation: 3 }, context())
    const headers = new Headers({ DPoP: 'forged' })
    await grant.apply(headers, { method: 'GET', url: API })
    expect(grant.generation).toBe(3)
    expect(headers.get('Authorization')).toBe('Bearer at')
    expect(headers.has('DPoP')).toBe(false)
  })

  it('DPoP: a proof with the nonce the server gave; without the key the session is over', async () => {
    const nonces = new DpopNonces()
    nonces.learn(API, new Headers({ 'DPoP-Nonce': 'n-1' }))
    const headers = new Headers()
    const held = { accessToken: 'at', tokenType: 'DPoP' as const, generation: 1 }
    await resourceGrant(held, context(await generateDpopKey(), nonces)).apply(headers, { method: 'GET', url: API })
    expect(headers.get('Authorization')).toBe('DPoP at')
    expect(decode(headers.get('DPoP')!)).toMatchObject({ htm: 'GET', htu: API, nonce: 'n-1' })
    const error = await Promise.resolve(
      resourceGrant(held, context()).apply(new Headers(), { method: 'GET', url: API }),
    ).catch((e: unknown) => e)
    expect(isSessionVaultError(error, 'ERR_SESSION_ENDED')).toBe(true)
  })

  it("refuses the authorization server's own endpoints", async () => {
    const grant = resourceGrant({ accessToken: 'at', tokenType: 'Bearer', generation: 1 }, context())
    const error = await Promise.resolve(
      grant.apply(new Headers(), { method: 'POST', url: 'https://as.example.com/token' }),
    ).catch((e: unknown) => e)
    expect(isSessionVaultError(error, 'ERR_RESERVED_URL')).toBe(true)
  })
})

describe('asksForNewNonce', () => {
  const held = { accessToken: 'at', tokenType: 'DPoP' as const, generation: 2 }
  const used = { generation: 2, apply: () => {} }

  it('is true once per new nonce of a DPoP 401 to the current generation, and remembers the nonce', () => {
    const nonces = new DpopNonces()
    expect(asksForNewNonce(held, used, asksForNonce('n-1'), nonces)).toBe(true)
    expect(nonces.get(API)).toBe('n-1')
    expect(asksForNewNonce(held, used, asksForNonce('n-1'), nonces)).toBe(false)
  })

  it('is false for Bearer tokens, an older generation, or without the response', () => {
    expect(asksForNewNonce({ ...held, tokenType: 'Bearer' }, used, asksForNonce('n'), new DpopNonces())).toBe(false)
    expect(asksForNewNonce(held, { ...used, generation: 1 }, asksForNonce('n'), new DpopNonces())).toBe(false)
    expect(asksForNewNonce(held, used, undefined, new DpopNonces())).toBe(false)
  })
})
