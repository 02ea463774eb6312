import { describe, expect, it } from 'vitest'
import { parseTabMessage } from './tab-channel.js'

const now = 1_700_000_000_000

describe('parseTabMessage', () => {
  it.each([
    { v: 1, type: 'activity', at: now },
    { v: 1, type: 'extend', at: now - 500 },
    { v: 1, type: 'login', at: now },
    { v: 1, type: 'logout', id: 'abcdef0123456789', reason: 'user', at: now },
    { v: 1, type: 'keepalive', at: now, idleExpiresAt: now + 60_000 },
    { v: 1, type: 'hello', id: 'abcdef0123456789' },
    { v: 1, type: 'state', to: 'abcdef0123456789', idle: { lastActivityAt: now, absoluteDeadline: now + 3_600_000 } },
    { v: 1, type: 'state', to: 'abcdef0123456789', idle: { lastActivityAt: now, pausedAt: now - 1_000 } },
    { v: 1, type: 'status', at: now },
    { v: 1, type: 'pause', at: now },
    { v: 1, type: 'resume', at: now },
    { v: 1, type: 'settings', idle: { timeout: 60_000, warnBefore: 20_000, keepaliveInterval: 12_000 } },
    {
      v: 1,
      type: 'settings',
      idle: { timeout: 60_000, warnBefore: 20_000, keepaliveInterval: 12_000, absoluteTimeout: 3_600_000 },
    },
  ])('accepts %j', message => {
    expect(parseTabMessage(message, now)).toEqual(message)
  })

  it.each([
    null,
    undefined,
    42,
    'logout',
    [],
    {},
    { type: 'logout', id: 'abcdef0123456789', reason: 'user', at: now },
    { v: 2, type: 'activity', at: now },
    { v: 1, type: 'activity' },
    { v: 1, type: 'activity', at: 'now' },
    { v: 1, type: 'activity', at: now + 60_000 },
    { v: 1, type: 'pause', at: now + 60_000 },
    { v: 1, type: 'settings', idle: { timeout: 60_000, warnBefore: 60_000, keepaliveInterval: 12_000 } },
    { v: 1, type: 'settings', idle: { timeout: 0, warnBefore: 0, keepaliveInterval: 1 } },
    { v: 1, type: 'settings', idle: { timeout: 60_000, warnBefore: 1_000, keepaliveInterval: -1 } },
    { v: 1, type: 'settings', idle: { timeout: '1m', warnBefore: 1_000, keepaliveInterval: 1_000 } },
    { v: 1, type: 'settings' },
    { v: 1, type: 'activity', at: Infinity },
    { v: 1, type: 'activity', at: now - 2 * 86_400_000 },
    { v: 1, type: 'logout', id: 'x', reason: 'user', at: now },
    { v: 1, type: 'logout', id: 'abcdef0123456789', reason: 'because', at: now },
    { v: 1, type: 'logout', id: { toString: 1 }, reason: 'user', at: now },
    { v: 1, type: 'state', to: 'abcdef0123456789', idle: { lastActivityAt: 'x' } },
    { v: 1, type: 'state', to: 'abcdef0123456789', idle: { lastActivityAt: now, absoluteDeadline: -1 } },
    { v: 1, type: 'keepalive', at: now, idleExpiresAt: 'later' },
    { v: 1, type: '__proto__', at: now },
  ])('drops %j', message => {
    expect(parseTabMessage(message, now)).toBeNull()
  })

  it('drops unknown fields instead of passing them on', () => {
    expect(parseTabMessage({ v: 1, type: 'activity', at: now, token: 'x' }, now)).toEqual({
      v: 1,
      type: 'activity',
      at: now,
    })
  })
})
