import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, login } from '../support/harness.js'
import { CHANNEL, collectPageErrors, fetchOutcome, openTab, waitForEvents } from '../support/termination.js'
import { PROMPT_MS, STRAGGLER_MS } from '../support/timeouts.js'

const IDLE = { idle: { timeout: '15m', warnBefore: '1m' } }
const COUNT = 200

/** Counts what arrives on the SDK's channel in this page (a second BroadcastChannel object of the same name). */
async function listen(page: Page): Promise<void> {
  await page.evaluate(name => {
    const w = window
    w.heard = 0
    new BroadcastChannel(name).onmessage = () => w.heard++
  }, CHANNEL)
}

const heard = (page: Page) => page.evaluate(() => window.heard as number)

/** Everything observable about a session, minus timestamps of events. */
async function snapshot(page: Page) {
  return page.evaluate(() => {
    const w = window
    return { state: w.session.state, info: w.session.info, events: (w.events as { name: string }[]).map(e => e.name) }
  })
}

/**
 * Posts `count` malformed or random messages on `name`: first hand-made near misses of every
 * message type (one bad field each), then seeded random junk. None of them is well-formed.
 */
function postJunk(page: Page, count: number): Promise<number> {
  return page.evaluate(
    ([name, total]) => {
      const channel = new BroadcastChannel(name as string)
      const now = Date.now()
      const DAY = 86_400_000
      const badTimes = [
        NaN,
        Infinity,
        -Infinity,
        -1,
        0,
        '1700000000000',
        String(now),
        null,
        undefined,
        now + 60_000,
        now + 400 * DAY,
        now - 2 * DAY,
        1e300,
        {},
        [],
        true,
        [now],
      ]
      const badIds = [
        '',
        'short',
        'x'.repeat(65),
        'has space in it',
        'quote"quote"quote',
        '<script>alert(1)</script>',
        12345678901234,
        null,
        {},
        ['abcdef0123456789'],
        'ünïcödé-ünïcödé',
      ]
      const badReasons = [
        'USER',
        'logout',
        '',
        null,
        1,
        'toString',
        '__proto__',
        'constructor',
        'user ',
        ['user'],
        { reason: 'user' },
      ]
      const badSnapshots = [
        null,
        {},
        [],
        'idle',
        { lastActivityAt: 'now' },
        { lastActivityAt: now + DAY },
        { lastActivityAt: now, absoluteDeadline: 'x' },
        { lastActivityAt: now, serverIdleDeadline: -5 },
        { lastActivityAt: NaN },
      ]
      const badVersions = [0, 2, '1', null, undefined, 1.0000001, [1], true, -1, {}]
      const badTypes = [
        'Logout',
        'LOGOUT',
        'logout ',
        '',
        'constructor',
        '__proto__',
        'hasOwnProperty',
        'toString',
        'valueOf',
        'unknown',
        5,
        null,
        ['logout'],
        { type: 'logout' },
      ]
      const goodId = 'abcdef0123456789abcdef01'
      const messages: unknown[] = []
      // Near misses: one field wrong each.
      const timed = ['activity', 'extend', 'login', 'keepalive']
      for (const [i, at] of badTimes.entries()) {
        messages.push(
          { v: 1, type: timed[i % timed.length], at },
          { v: 1, type: 'logout', id: goodId, reason: 'user', at },
        )
      }
      messages.push(
        { v: 1, type: 'keepalive', at: now, idleExpiresAt: 'soon' },
        { v: 1, type: 'keepalive', at: now, absoluteExpiresAt: -1 },
      )
      for (const id of badIds) {
        messages.push({ v: 1, type: 'logout', id, reason: 'user', at: now }, { v: 1, type: 'hello', id })
        messages.push({ v: 1, type: 'state', to: id, idle: { lastActivityAt: now } })
      }
      for (const reason of badReasons) messages.push({ v: 1, type: 'logout', id: goodId, reason, at: now })
      for (const idle of badSnapshots) messages.push({ v: 1, type: 'state', to: goodId, idle })
      for (const v of badVersions)
        messages.push({ v, type: 'logout', id: goodId, reason: 'user', at: now }, { v, type: 'login', at: now })
      for (const type of badTypes) messages.push({ v: 1, type, id: goodId, reason: 'user', at: now })
      messages.push(
        { v: 1, type: 'logout', reason: 'user', at: now },
        { v: 1, type: 'logout', id: goodId, at: now },
        { v: 1, type: 'logout', id: goodId, reason: 'user' },
      )
      messages.push(
        JSON.parse('{"__proto__": {"v": 1, "type": "logout", "id": "abcdef0123456789", "reason": "user", "at": 1}}'),
      )
      messages.push(Object.assign(Object.create(null), { v: 1, type: 'nope' }))
      // Not records at all.
      messages.push(null, undefined, 0, 1, -0, NaN, true, false, '', 'logout', '{"v":1,"type":"logout"}', 10n ** 30n)
      messages.push(
        [1, 'logout', goodId, 'user', now],
        new Uint8Array([1, 2, 3]),
        new ArrayBuffer(64),
        new Date(),
        /logout/g,
      )
      messages.push(
        new Map<string, unknown>([
          ['v', 1],
          ['type', 'logout'],
        ]),
        new Set([1, 'logout']),
        new Blob(['logout']),
        new Error('logout'),
      )
      messages.push('x'.repeat(1_000_000), { v: 1, type: 'x'.repeat(100_000) })
      let deep: Record<string, unknown> = { v: 1, type: 'activity', at: now + DAY }
      for (let i = 0; i < 500; i++) deep = { v: 1, type: 'logout', nested: deep }
      messages.push(deep)
      // Seeded random junk up to `total`: random keys and values, never a well-formed message.
      let seed = 0x5eed
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
      const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!
      const keys = ['v', 'type', 'id', 'reason', 'at', 'to', 'idle', 'idleExpiresAt', 'absoluteExpiresAt', 'x', '']
      const values = [...badTimes, ...badIds, ...badReasons, ...badVersions, ...badTypes, ...badSnapshots]
      while (messages.length < (total as number)) {
        const message: Record<string, unknown> = {}
        const size = Math.floor(rand() * 7)
        for (let i = 0; i < size; i++) message[pick(keys)] = pick(values)
        if (rand() < 0.5) message.v = pick(badVersions)
        else message.type = pick(badTypes)
        messages.push(rand() < 0.1 ? [message] : message)
      }
      if (messages.length !== total) throw new Error(`${messages.length} messages, not ${total}`)
      for (const message of messages) channel.postMessage(message)
      channel.close()
      return messages.length
    },
    [CHANNEL, count] as const,
  )
}

/** A well-formed message, as a (malicious) same-origin page could post it. */
function postForged(page: Page, message: Record<string, unknown>): Promise<void> {
  return page.evaluate(
    ([name, m]) => {
      const channel = new BroadcastChannel(name as string)
      channel.postMessage({ ...(m as object), ...('at' in (m as object) ? { at: Date.now() } : {}) })
      channel.close()
    },
    [CHANNEL, message] as const,
  )
}

test('200 malformed messages on the channel change nothing; a forged logout ends the session for good', async ({
  server,
  context,
}) => {
  // The attacker: any page of the origin (here the bare harness, no session).
  const { page: attacker } = await openTab(context)
  await attacker.evaluate(name => {
    const w = window
    w.hellos = []
    new BroadcastChannel(name).onmessage = (event: MessageEvent) => {
      if (event.data?.type === 'hello') w.hellos.push(event.data.id)
    }
  }, CHANNEL)
  // Two victims: one signed in by login(), one restored at start-up (it says hello with its tab id).
  const { page: first } = await openTab(context, IDLE)
  expect(await login(first)).toEqual({ ok: true })
  const { page: second, state } = await openTab(context, IDLE)
  expect(state).toBe('authenticated')
  const victims = [first, second]
  const errors = victims.map(collectPageErrors)
  await expect.poll(() => attacker.evaluate(() => window.hellos.length)).toBeGreaterThan(0)
  const secondTabId = (await attacker.evaluate(() => window.hellos[0])) as string

  for (const tab of victims) await listen(tab)
  const before = await Promise.all(victims.map(snapshot))
  const counters = await server.counters()

  expect(await postJunk(attacker, COUNT)).toBe(COUNT)
  for (const tab of victims) await expect.poll(() => heard(tab), { timeout: PROMPT_MS }).toBe(COUNT)
  await first.waitForTimeout(STRAGGLER_MS)

  for (const [i, tab] of victims.entries()) {
    expect(errors[i], `tab ${i + 1}: no page error`).toEqual([])
    expect(await snapshot(tab), `tab ${i + 1}: no state change`).toEqual(before[i])
    expect(await fetchOutcome(tab), `tab ${i + 1}: the vault still works`).toEqual({ status: 200 })
  }
  const after = await server.counters()
  expect(after.logout).toBe(counters.logout)
  expect(after.refresh).toBe(counters.refresh)
  expect(after.keepalive).toBe(counters.keepalive)

  // A forged, well-formed logout is honoured: logout is the safe direction.
  await postForged(attacker, { v: 1, type: 'logout', id: 'f0f0f0f0f0f0f0f0f0f0', reason: 'user', at: 0 })
  for (const tab of victims) {
    const [logout] = await waitForEvents(tab, 'logout', 3_000)
    expect(logout!.payload).toEqual({ reason: 'remote', serverConfirmed: false })
  }
  // Nothing can bring an ended session back: not activity, extend, keepalive, login, hello or state.
  const now = Date.now()
  for (const forged of [
    { v: 1, type: 'activity', at: 0 },
    { v: 1, type: 'extend', at: 0 },
    { v: 1, type: 'keepalive', at: 0, idleExpiresAt: now + 3_600_000, absoluteExpiresAt: now + 7_200_000 },
    { v: 1, type: 'login', at: 0 },
    { v: 1, type: 'hello', id: 'abcdef0123456789abcd' },
    { v: 1, type: 'state', to: secondTabId, idle: { lastActivityAt: now } },
  ]) {
    await postForged(attacker, forged)
  }
  await first.waitForTimeout(500)
  for (const [i, tab] of victims.entries()) {
    expect(await tab.evaluate(() => window.session.state), `tab ${i + 1}`).toBe('ended')
    expect(
      (await events(tab)).map(e => e.name),
      `tab ${i + 1}: nothing after the logout`,
    ).toEqual([...before[i]!.events, 'logout'])
    expect(await fetchOutcome(tab)).toEqual({ code: 'ERR_SESSION_ENDED' })
    expect(errors[i]).toEqual([])
  }
})
