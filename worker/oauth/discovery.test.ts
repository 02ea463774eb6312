import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Discovery } from './discovery.js'
import { config, ISSUER, META, make, rejects, serve } from './test-fixtures.js'

beforeEach(serve)
afterEach(() => vi.unstubAllGlobals())

describe('Discovery', () => {
  it('refuses a discovery document whose issuer is not the configured one', async () => {
    const discovery = new Discovery(config({ issuer: `${ISSUER}/` }))
    expect(await rejects(discovery.endpoints(), 'ERR_OAUTH')).toMatch(/issuer/)
    const { auth } = make({ issuer: `${ISSUER}/` })
    expect(await rejects(auth.authorizationUrl({}), 'ERR_OAUTH')).toMatch(/issuer/)
  })

  it('reserves the configured endpoints at once, and every metadata endpoint once discovered', async () => {
    const discovery = new Discovery(config({ tokenEndpoint: META.token_endpoint }))
    expect(discovery.isReserved(`${META.token_endpoint}?x=1`)).toBe(true)
    expect(discovery.isReserved(META.introspection_endpoint)).toBe(false)
    expect(await discovery.endpoints()).toMatchObject({
      authorization: META.authorization_endpoint,
      token: META.token_endpoint,
      revocation: META.revocation_endpoint,
      endSession: META.end_session_endpoint,
      issParameterSupported: true,
    })
    expect(discovery.isReserved(META.introspection_endpoint)).toBe(true)
    expect(discovery.isReserved('https://api.example.com/x')).toBe(false)
    expect(discovery.isReserved('not a url')).toBe(false)
  })

  it('with a signal, stops waiting when it aborts', async () => {
    vi.stubGlobal('fetch', () => new Promise(() => {}))
    const reason = new Error('timed out')
    const controller = new AbortController()
    const waiting = new Discovery(config()).endpoints(controller.signal)
    controller.abort(reason)
    await expect(waiting).rejects.toBe(reason)
  })
})
