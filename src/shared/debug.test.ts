import { describe, expect, it } from 'vitest'
import { debugEntry } from './debug.js'

const TOKEN = 'Zx9vQ2hM4kT7pL1sB8nR3wY6cJ0dF5gH2aE9uI4oK7m'

describe('debugEntry', () => {
  it('keeps numbers, booleans and short names', () => {
    expect(
      debugEntry(
        'vault',
        'lock.refresh',
        { status: 200, waitedMs: 12, ok: true, why: 'expiry', code: 'ERR_NETWORK' },
        5,
      ),
    ).toEqual({
      at: 5,
      thread: 'vault',
      event: 'lock.refresh',
      data: { status: 200, waitedMs: 12, ok: true, why: 'expiry', code: 'ERR_NETWORK' },
    })
    expect(debugEntry('page', 'vault.handleRedirectCallback').event).toBe('vault.handleRedirectCallback')
    expect(debugEntry('page', 'event.step-up').event).toBe('event.step-up')
  })

  it('never lets a secret-shaped value in: long strings, URLs, headers, objects, arrays are redacted or dropped', () => {
    const entry = debugEntry('page', 'vault.fetch', {
      token: TOKEN,
      url: 'https://app.example/api?code=abc',
      header: `Bearer ${TOKEN}`,
      nested: { token: TOKEN },
      list: [TOKEN],
      fn: () => TOKEN,
      nan: Number.NaN,
    })
    expect(JSON.stringify(entry)).not.toContain(TOKEN)
    expect(JSON.stringify(entry)).not.toContain('code=abc')
    expect(entry.data).toEqual({ token: '[redacted]', url: '[redacted]', header: '[redacted]' })
  })

  it('checks the event name and the keys too, and copes with junk from the other thread', () => {
    expect(debugEntry('vault', `refresh ${TOKEN}`).event).toBe('[redacted]')
    expect(debugEntry('vault', 'x', { [TOKEN]: 1 }).data).toEqual({})
    expect(debugEntry('vault', undefined, 'not an object', 'soon' as never)).toMatchObject({
      event: '[redacted]',
      data: {},
    })
    expect(debugEntry('vault', 'x', { why: 'abcdef0123456789abcdef0123456789' }).data).toEqual({ why: '[redacted]' })
    expect(
      Object.keys(
        debugEntry(
          'vault',
          'x',
          Object.fromEntries([...Array(40)].map((_, i) => [`k${'x'.repeat((i % 20) + 1)}${i < 20 ? '' : 'y'}`, i])),
        ).data,
      ),
    ).toHaveLength(16)
  })
})
