import { expose, wrap } from 'comlink'
import { describe, expect, it } from 'vitest'
import { installErrorTransfer } from './comlink-errors.js'
import { SessionVaultError, isSessionVaultError } from './errors.js'
import { fromWireError, toWireError } from './protocol.js'

describe('error transfer', () => {
  it('keeps name, code and message, drops the stack', () => {
    const wire = toWireError(new SessionVaultError('ERR_UNTRUSTED_ORIGIN', 'nope'))
    expect(wire).toEqual({ name: 'SessionVaultError', message: 'nope', code: 'ERR_UNTRUSTED_ORIGIN' })
    const back = fromWireError(wire)
    expect(back).toBeInstanceOf(SessionVaultError)
    expect(isSessionVaultError(back, 'ERR_UNTRUSTED_ORIGIN')).toBe(true)
  })

  it('maps platform errors to their kinds and ignores unknown codes', () => {
    expect(fromWireError(toWireError(new TypeError('Failed to fetch')))).toBeInstanceOf(TypeError)
    expect(fromWireError({ name: 'AbortError', message: 'aborted' })).toMatchObject({ name: 'AbortError' })
    expect(isSessionVaultError(fromWireError({ name: 'SessionVaultError', message: 'x', code: 'ERR_MADE_UP' }))).toBe(false)
    expect(toWireError('a string')).toEqual({ name: 'Error', message: 'Unknown error' })
  })

  it('the cross-realm guard checks name and code, not instanceof', () => {
    expect(isSessionVaultError({ name: 'SessionVaultError', code: 'ERR_SESSION_ENDED', message: '' })).toBe(true)
    expect(isSessionVaultError({ name: 'Error', code: 'ERR_SESSION_ENDED' })).toBe(false)
    expect(isSessionVaultError(null)).toBe(false)
  })

  it('survives a real comlink round trip over a MessageChannel', async () => {
    installErrorTransfer()
    const { port1, port2 } = new MessageChannel()
    expose({ fail: () => { throw new SessionVaultError('ERR_SESSION_ENDED', 'The session has ended') } }, port1 as never)
    const remote = wrap<{ fail(): void }>(port2 as never)
    const error = await remote.fail().catch((e: unknown) => e)
    expect(isSessionVaultError(error, 'ERR_SESSION_ENDED')).toBe(true)
    expect((error as Error).message).toBe('The session has ended')
    port1.close()
    port2.close()
  })
})
