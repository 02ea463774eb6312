import { describe, expect, it } from 'vitest'
import { isSessionVaultError, SessionVaultError } from './errors.js'
import { fromWireError, toWireError, type VaultApi } from './protocol.js'
import { RpcClient, serve } from './rpc.js'

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
    expect(isSessionVaultError(fromWireError({ name: 'SessionVaultError', message: 'x', code: 'ERR_MADE_UP' }))).toBe(
      false,
    )
    expect(toWireError('a string')).toEqual({ name: 'Error', message: 'Unknown error' })
  })

  it('the cross-realm guard checks name and code, not instanceof', () => {
    expect(isSessionVaultError({ name: 'SessionVaultError', code: 'ERR_SESSION_ENDED', message: '' })).toBe(true)
    expect(isSessionVaultError({ name: 'Error', code: 'ERR_SESSION_ENDED' })).toBe(false)
    expect(isSessionVaultError(null)).toBe(false)
  })

  it('survives a real round trip over a MessageChannel, and bodies are transferred', async () => {
    const { port1, port2 } = new MessageChannel()
    port1.start()
    port2.start()
    const events: unknown[] = []
    const vault = {
      ping: () => 'pong',
      login: () => {
        throw new SessionVaultError('ERR_LOGIN_FAILED', 'Login refused (401)')
      },
      fetch: async () => ({
        url: 'u',
        redirected: false,
        status: 200,
        statusText: 'OK',
        headers: [],
        body: new Uint8Array([1, 2, 3]).buffer,
      }),
    } as unknown as VaultApi
    const emit = serve(port1 as never, vault)
    const client = new RpcClient(port2 as never, event => events.push(event))
    expect(await client.request('ping')).toBe('pong')
    const error = await client.request('login', {}).catch((e: unknown) => e)
    expect(isSessionVaultError(error, 'ERR_LOGIN_FAILED')).toBe(true)
    expect((error as Error).message).toBe('Login refused (401)')
    const response = await client.request('fetch', 1, {} as never)
    expect(new Uint8Array(response.body as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]))
    emit({ type: 'wake' })
    await new Promise(resolve => setTimeout(resolve, 10))
    expect(events).toEqual([{ type: 'wake' }])
    port1.close()
    port2.close()
  })

  it('ignores messages that are not requests for a known method', async () => {
    const { port1, port2 } = new MessageChannel()
    port1.start()
    port2.start()
    const calls: string[] = []
    serve(
      port1 as never,
      { constructor: () => calls.push('constructor'), ping: () => calls.push('ping') } as unknown as VaultApi,
    )
    const replies: unknown[] = []
    port2.addEventListener('message', event => replies.push(event.data))
    for (const junk of [
      null,
      1,
      'x',
      { sv: 1 },
      { sv: 1, id: 1, method: 'constructor', args: [] },
      { sv: 2, id: 1, method: 'ping', args: [] },
      { sv: 1, id: 1, method: 'ping', args: 'no' },
    ]) {
      port2.postMessage(junk)
    }
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(calls).toEqual([])
    expect(replies).toEqual([])
    port1.close()
    port2.close()
  })
})
