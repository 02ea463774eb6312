import { describe, expect, it } from 'vitest'
import { isSessionVaultError } from './shared/errors.js'
import { assertSupported } from './support.js'

const browser = () => ({
  Worker: class {},
  BroadcastChannel: class {},
  AbortController: class {},
  crypto: { getRandomValues: () => {}, subtle: {} },
  indexedDB: {},
})

const failure = (run: () => void) => {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('assertSupported', () => {
  it('passes in a browser that has everything', () => {
    expect(failure(() => assertSupported({ type: 'oauth', dpop: true, persist: 'dpop' }, browser()))).toBeUndefined()
  })

  it.each(['Worker', 'BroadcastChannel', 'AbortController'])('names a missing %s: ERR_UNSUPPORTED', api => {
    const scope: Record<string, unknown> = browser()
    delete scope[api]
    const error = failure(() => assertSupported({ type: 'token' }, scope))
    expect(isSessionVaultError(error, 'ERR_UNSUPPORTED')).toBe(true)
    expect((error as Error).message).toContain(api)
  })

  it('OAuth needs crypto.subtle (absent outside a secure context); token mode does not', () => {
    const scope = { ...browser(), crypto: { getRandomValues: () => {} } }
    expect(failure(() => assertSupported({ type: 'token' }, scope))).toBeUndefined()
    const error = failure(() => assertSupported({ type: 'oauth' }, scope)) as Error
    expect(isSessionVaultError(error, 'ERR_UNSUPPORTED')).toBe(true)
    expect(error.message).toMatch(/crypto\.subtle.*secure context/)
  })

  it('DPoP persistence needs IndexedDB', () => {
    const scope: Record<string, unknown> = browser()
    delete scope.indexedDB
    expect(failure(() => assertSupported({ type: 'oauth' }, scope))).toBeUndefined()
    expect((failure(() => assertSupported({ type: 'oauth', persist: 'dpop' }, scope)) as Error).message).toContain(
      'indexedDB',
    )
  })
})
