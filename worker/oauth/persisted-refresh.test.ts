import { describe, expect, it } from 'vitest'
import { PersistedRefresh } from './persisted-refresh.js'
import { MemoryStore, NOW } from './test-fixtures.js'

const stored = (store: MemoryStore, sub?: string) =>
  (store.session = { refreshToken: 'rt', jkt: 'k1', sub, savedAt: NOW - 1 })

describe('PersistedRefresh', () => {
  it('finds the stored token only when it is bound to the key and about the same user', async () => {
    const store = new MemoryStore()
    const persisted = new PersistedRefresh(store, true, () => NOW)
    const session = stored(store, 'u1')
    expect(await persisted.usable('u1', 'k1')).toBe(session)
    expect(await persisted.usable(undefined, 'k1')).toBe(session)
    expect(await persisted.usable('u1')).toBe(session)
    expect(await persisted.usable('u2', 'k1')).toBeUndefined()
    expect(await persisted.usable('u1', 'k2')).toBeUndefined()
  })

  it('saves the rotated token with the identity, and forgets it', async () => {
    const store = new MemoryStore()
    const persisted = new PersistedRefresh(store, true, () => NOW)
    await persisted.save('rt2', 'k1', { sub: 'u1', claims: { name: 'Ann' } })
    expect(store.session).toEqual({ refreshToken: 'rt2', jkt: 'k1', sub: 'u1', claims: { name: 'Ann' }, savedAt: NOW })
    await persisted.forget()
    expect(store.session).toBeUndefined()
  })

  it("without persist: 'dpop', stores nothing and finds nothing", async () => {
    const store = new MemoryStore()
    const persisted = new PersistedRefresh(store, false, () => NOW)
    const session = stored(store)
    expect(await persisted.load()).toBeUndefined()
    await persisted.save('rt2', 'k1', {})
    await persisted.forget()
    expect(store.session).toBe(session)
  })
})
