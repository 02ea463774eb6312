import { describe, expect, it } from 'vitest'
import { storedSnapshot } from './vault-store.js'

const NOW = 1_800_000_000_000
const YEAR = 365 * 86_400_000

describe('storedSnapshot (the idle snapshot read back from IndexedDB)', () => {
  const good = { lastActivityAt: NOW - 60_000, signedInAt: NOW - 3_600_000, absoluteDeadline: NOW + 3_600_000 }

  it('adopts a plausible snapshot', () => {
    expect(storedSnapshot(good, NOW)).toEqual(good)
  })

  it.each([
    ['activity in the future', { ...good, lastActivityAt: NOW + YEAR }],
    ['sign-in in the future', { ...good, signedInAt: NOW + 60_000 }],
    ['no sign-in time (an older version)', { lastActivityAt: good.lastActivityAt }],
    ['a string time', { ...good, lastActivityAt: String(good.lastActivityAt) }],
    ['an absolute deadline more than a year away', { ...good, absoluteDeadline: NOW + 2 * YEAR }],
    ['not an object', 'x'],
  ])('refuses %s', (_, value) => {
    expect(storedSnapshot(value, NOW)).toBeUndefined()
  })

  it('caps the absolute deadline at sign-in plus absoluteTimeout, and derives it when missing', () => {
    const later = storedSnapshot({ ...good, absoluteDeadline: NOW + 300 * 86_400_000 }, NOW, undefined, 8 * 3_600_000)
    expect(later!.absoluteDeadline).toBe(good.signedInAt + 8 * 3_600_000)
    const missing = storedSnapshot(
      { lastActivityAt: good.lastActivityAt, signedInAt: good.signedInAt },
      NOW,
      undefined,
      8 * 3_600_000,
    )
    expect(missing!.absoluteDeadline).toBe(good.signedInAt + 8 * 3_600_000)
    const earlier = storedSnapshot(good, NOW, undefined, 8 * 3_600_000)
    expect(earlier!.absoluteDeadline, 'an earlier one (the server said) stays').toBe(good.absoluteDeadline)
  })

  it("keeps an old session's snapshot out (another session_id, or cookie mode's other server deadline)", () => {
    expect(storedSnapshot({ ...good, session: 's1' }, NOW, 's2')).toBeUndefined()
    expect(storedSnapshot({ ...good, session: 's2' }, NOW, 's2')).toEqual(good)
    expect(storedSnapshot({ ...good, session: 's2' }, NOW, undefined)).toBeUndefined()
  })
})
