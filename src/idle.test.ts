import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IdleController, type IdleHost } from './idle.js'
import { SteadyClock } from './idle-clock.js'
import type { NormalizedIdle } from './options.js'
import type { IdleSnapshot, ServerDeadlines } from './shared/protocol.js'

const T0 = 1_700_000_000_000
const options: NormalizedIdle = {
  timeout: 10_000,
  warnBefore: 4_000,
  keepaliveInterval: 2_000,
  events: ['keydown'],
  frames: false,
}

/**
 * The wall clock's steps so far: the fake monotonic clock is the fake `Date` without them, so
 * `vi.setSystemTime` alone is time passing (sleep, where the monotonic clock counts it) and
 * {@link setWallClock} is the user or NTP setting the clock.
 */
let stepped = 0
const mono = () => Date.now() - stepped

/** Sets the wall clock by `ms` (forward or back) without any time passing. */
function setWallClock(ms: number): void {
  stepped += ms
  vi.setSystemTime(Date.now() + ms)
}

/** A host whose vault timer is a fake timer, like the real worker's setTimeout (which follows elapsed time). */
function makeHost(serverAnswer: ServerDeadlines | null | (() => ServerDeadlines | null) = null) {
  const events: [string, unknown][] = []
  const posts: unknown[] = []
  const expired: string[] = []
  const keepalives: number[] = []
  const changes: string[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let controller: IdleController
  const host: IdleHost = {
    clock: new SteadyClock(() => Date.now(), mono),
    schedule: at => {
      clearTimeout(timer)
      if (at !== null) timer = setTimeout(() => controller.check(), at - Date.now())
    },
    keepalive: async () => {
      keepalives.push(Date.now())
      return typeof serverAnswer === 'function' ? serverAnswer() : serverAnswer
    },
    persist: () => {},
    post: message => posts.push(message),
    tryLock: async (_name, task) => task(),
    expire: reason => expired.push(reason),
    warning: () => {},
    emit: (name, payload) => events.push([name, payload]),
    changed: () => void changes.push(controller.view.phase),
  }
  return {
    host,
    events,
    posts,
    expired,
    keepalives,
    changes,
    start(snapshot: IdleSnapshot = { lastActivityAt: Date.now() }) {
      controller = new IdleController(options, host, snapshot)
      controller.check()
      return controller
    },
    names: () => events.map(([name]) => name),
  }
}

describe('IdleController with fake timers', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(T0)
    stepped = 0
  })
  afterEach(() => vi.useRealTimers())

  it('opens the warning at deadline - warnBefore, ticks once a second, then expires', () => {
    const h = makeHost()
    h.start()
    vi.advanceTimersByTime(5_999)
    expect(h.names()).toEqual([])
    vi.advanceTimersByTime(1)
    expect(h.events[0]).toEqual(['warning', { reason: 'idle', remainingMs: 4_000, deadline: T0 + 10_000 }])
    vi.advanceTimersByTime(3_999)
    expect(h.names().filter(n => n === 'tick')).toHaveLength(3)
    expect(h.expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(h.expired).toEqual(['idle'])
  })

  it('activity before the warning moves the deadline; activity during it does not', () => {
    const h = makeHost()
    const idle = h.start()
    vi.advanceTimersByTime(5_000)
    idle.activity()
    expect(idle.deadlines.idleDeadline).toBe(T0 + 15_000)
    vi.advanceTimersByTime(6_000)
    expect(h.names()).toContain('warning')
    idle.activity()
    expect(idle.deadlines.idleDeadline).toBe(T0 + 15_000)
    vi.advanceTimersByTime(4_000)
    expect(h.expired).toEqual(['idle'])
  })

  it('extend() closes the warning, broadcasts, emits extended and calls the keepalive', async () => {
    const h = makeHost()
    const idle = h.start()
    vi.advanceTimersByTime(7_000)
    await idle.extend()
    expect(h.names()).toEqual(['warning', 'tick', 'extended'])
    expect(h.posts).toContainEqual({ type: 'extend', at: T0 + 7_000 })
    expect(h.keepalives).toEqual([T0 + 7_000])
    expect(idle.deadlines.idleDeadline).toBe(T0 + 17_000)
    vi.advanceTimersByTime(9_999)
    expect(h.expired).toEqual([])
  })

  it('sleep past the deadline: logout at once, without a warning', () => {
    const h = makeHost()
    const idle = h.start()
    vi.setSystemTime(T0 + 60_000)
    idle.check()
    expect(h.expired).toEqual(['idle'])
    expect(h.names()).not.toContain('warning')
  })

  it('sleep into the warning window: warning with the right remaining time', () => {
    const h = makeHost()
    const idle = h.start()
    vi.setSystemTime(T0 + 8_500)
    idle.check()
    expect(h.events[0]).toEqual(['warning', { reason: 'idle', remainingMs: 1_500, deadline: T0 + 10_000 }])
  })

  it('an absolute deadline before the idle one warns with reason absolute and cannot be extended', async () => {
    const h = makeHost()
    const idle = h.start({ lastActivityAt: T0, absoluteDeadline: T0 + 8_000 })
    vi.advanceTimersByTime(4_000)
    expect(h.events[0]).toEqual(['warning', { reason: 'absolute', remainingMs: 4_000, deadline: T0 + 8_000 }])
    await idle.extend()
    expect(h.keepalives).toEqual([])
    vi.advanceTimersByTime(4_000)
    expect(h.expired).toEqual(['absolute'])
  })

  it('a server answer brings deadlines earlier, never later', async () => {
    const h = makeHost({ idleExpiresAt: T0 + 7_000, absoluteExpiresAt: T0 + 9_000_000 })
    const idle = h.start({ lastActivityAt: T0, absoluteDeadline: T0 + 60_000 })
    vi.advanceTimersByTime(2_000)
    idle.activity()
    await vi.advanceTimersByTimeAsync(0)
    expect(h.keepalives).toHaveLength(1)
    expect(idle.deadlines).toEqual({ idleDeadline: T0 + 7_000, absoluteDeadline: T0 + 60_000 })
    expect(h.posts).toContainEqual({
      type: 'keepalive',
      at: T0 + 2_000,
      idleExpiresAt: T0 + 7_000,
      absoluteExpiresAt: T0 + 9_000_000,
    })
  })

  it('keepalive at most once per interval while active', () => {
    const h = makeHost()
    const idle = h.start()
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(100)
      idle.activity()
    }
    expect(h.keepalives.length).toBe(2)
    expect(h.names().filter(n => n === 'activity')).toHaveLength(5)
  })

  it('sends the last activity of a burst when the throttle second is up', () => {
    const h = makeHost()
    const idle = h.start()
    idle.activity()
    vi.advanceTimersByTime(300)
    idle.activity()
    expect(h.posts.filter(m => (m as { type: string }).type === 'activity')).toEqual([{ type: 'activity', at: T0 }])
    vi.advanceTimersByTime(700)
    expect(h.posts.filter(m => (m as { type: string }).type === 'activity')).toEqual([
      { type: 'activity', at: T0 },
      { type: 'activity', at: T0 + 300 },
    ])
  })

  it('tells the host when the warning closes, whichever way it closes', async () => {
    const h = makeHost()
    const states: boolean[] = []
    h.host.warning = open => states.push(open)
    const idle = h.start()
    vi.advanceTimersByTime(7_000)
    await idle.extend()
    vi.advanceTimersByTime(7_000)
    idle.receive({ v: 1, type: 'extend', at: Date.now() })
    expect(states).toEqual([true, false, true, false])
  })

  it('activity from another tab wins when later; a remote extend closes the warning', () => {
    const h = makeHost()
    const idle = h.start()
    idle.receive({ v: 1, type: 'activity', at: T0 + 3_000 })
    expect(idle.deadlines.idleDeadline).toBe(T0 + 13_000)
    idle.receive({ v: 1, type: 'activity', at: T0 + 1_000 })
    expect(idle.deadlines.idleDeadline).toBe(T0 + 13_000)
    vi.advanceTimersByTime(9_500)
    expect(h.names()).toContain('warning')
    idle.receive({ v: 1, type: 'extend', at: T0 + 9_500 })
    expect(h.names()).toContain('extended')
    expect(idle.deadlines.idleDeadline).toBe(T0 + 19_500)
  })

  it('merging state from a live tab keeps the latest activity and the earliest absolute deadline', () => {
    const h = makeHost()
    const idle = h.start({ lastActivityAt: T0 - 2_000, absoluteDeadline: T0 + 50_000 })
    idle.merge({ lastActivityAt: T0 - 1_000, absoluteDeadline: T0 + 40_000 })
    expect(idle.deadlines).toEqual({ idleDeadline: T0 + 9_000, absoluteDeadline: T0 + 40_000 })
  })

  describe('a wall clock that is set during the session (set back: elapsed time; forward: fails closed)', () => {
    it('an hour forward mid-session (sleep, or a clock set ahead): counted as elapsed, the session ends at once', () => {
      const h = makeHost()
      const idle = h.start()
      vi.advanceTimersByTime(2_000)
      setWallClock(3_600_000)
      idle.check() // as on focus or visibilitychange after waking up
      expect(h.expired).toEqual(['idle'])
    })

    it('a forward step short of the deadline brings the warning and the end that much closer', () => {
      const h = makeHost()
      const idle = h.start()
      setWallClock(5_000)
      idle.check()
      expect(h.expired).toEqual([])
      expect(idle.deadlines.idleDeadline).toBe(T0 + 10_000)
      vi.advanceTimersByTime(1_000)
      expect(h.names()).toContain('warning')
      vi.advanceTimersByTime(4_000)
      expect(h.expired).toEqual(['idle'])
    })

    it('set an hour back mid-session: the session still ends at its deadline', () => {
      const h = makeHost()
      const idle = h.start({ lastActivityAt: T0, absoluteDeadline: T0 + 60_000 })
      vi.advanceTimersByTime(2_000)
      setWallClock(-3_600_000)
      idle.check()
      expect(idle.deadlines).toEqual({
        idleDeadline: T0 - 3_600_000 + 10_000,
        absoluteDeadline: T0 - 3_600_000 + 60_000,
      })
      vi.advanceTimersByTime(7_999)
      expect(h.expired).toEqual([])
      vi.advanceTimersByTime(1)
      expect(h.expired).toEqual(['idle'])
    })

    it('set back during the warning: the countdown goes on from where it was', () => {
      const h = makeHost()
      const idle = h.start()
      vi.advanceTimersByTime(7_000)
      setWallClock(-600_000)
      idle.check()
      vi.advanceTimersByTime(2_000)
      expect(h.events.at(-1)).toEqual(['tick', { remainingMs: 1_000 }])
      vi.advanceTimersByTime(1_000)
      expect(h.expired).toEqual(['idle'])
    })

    it('what goes to the other tabs, the vault and storage is on the wall clock as it reads now', () => {
      const h = makeHost()
      const saved: IdleSnapshot[] = []
      const scheduled: (number | null)[] = []
      h.host.persist = snapshot => saved.push(snapshot)
      const schedule = h.host.schedule
      h.host.schedule = at => {
        scheduled.push(at)
        schedule(at)
      }
      const idle = h.start({ lastActivityAt: T0, signedInAt: T0, absoluteDeadline: T0 + 60_000 })
      setWallClock(-3_600_000)
      vi.advanceTimersByTime(1_000)
      idle.activity()
      const wall = T0 - 3_600_000 + 1_000
      expect(h.posts).toContainEqual({ type: 'activity', at: wall })
      expect(h.events).toContainEqual(['activity', { at: wall }])
      expect(saved.at(-1)).toEqual({
        lastActivityAt: wall,
        signedInAt: T0 - 3_600_000,
        absoluteDeadline: T0 - 3_600_000 + 60_000,
      })
      expect(scheduled.at(-1), 'the vault wakes the page at deadline - warnBefore').toBe(wall + 6_000)
      expect(idle.snapshot.lastActivityAt).toBe(wall)
    })

    it('what comes from the other tabs and the vault is read on the wall clock as it reads now', async () => {
      // The vault's answer: 5 s from now, on the wall clock as it read when the answer came.
      const h = makeHost(() => ({ idleExpiresAt: Date.now() + 5_000 }))
      const idle = h.start()
      setWallClock(3_600_000)
      idle.receive({ v: 1, type: 'activity', at: Date.now() + 1_000 })
      expect(idle.deadlines.idleDeadline, 'activity 1 s ahead: the deadline 11 s ahead').toBe(Date.now() + 11_000)
      setWallClock(-7_200_000)
      await idle.extend()
      expect(h.keepalives).toHaveLength(1)
      vi.advanceTimersByTime(4_999)
      expect(h.expired).toEqual([])
      vi.advanceTimersByTime(1)
      expect(h.expired, "the server's deadline, 5 s after its answer").toEqual(['idle'])
    })

    it('after the wall clock jumps ahead (sleep, or a clock set forward), the next input asks the server at once', async () => {
      const h = makeHost()
      const idle = h.start()
      vi.advanceTimersByTime(1_000)
      idle.activity()
      vi.advanceTimersByTime(1_000)
      idle.activity()
      await vi.advanceTimersByTimeAsync(0)
      expect(h.keepalives).toHaveLength(1)
      vi.advanceTimersByTime(500)
      idle.check()
      setWallClock(120_000)
      vi.advanceTimersByTime(700)
      idle.activity()
      await vi.advanceTimersByTimeAsync(0)
      expect(h.keepalives, 'within the keepalive interval, but after a step').toHaveLength(2)
      vi.advanceTimersByTime(1_000)
      idle.activity()
      await vi.advanceTimersByTimeAsync(0)
      expect(h.keepalives, 'once per step').toHaveLength(2)
    })
  })
})

describe('session.idle: pause, resume, update, the view', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(T0)
    stepped = 0
  })
  afterEach(() => vi.useRealTimers())

  it('paused: no warning and no expiry however long, keepalives go on, the other tabs are told', async () => {
    const h = makeHost()
    const c = h.start()
    c.pause()
    expect(h.posts).toContainEqual({ type: 'pause', at: T0 })
    expect(c.view).toMatchObject({ phase: 'paused', remainingMs: options.timeout })
    await vi.advanceTimersByTimeAsync(5 * options.timeout)
    expect(h.expired).toEqual([])
    expect(h.names()).not.toContain('warning')
    expect(h.keepalives.length, 'a keepalive every interval keeps the server timer alive').toBeGreaterThanOrEqual(20)
    c.resume()
    expect(h.posts).toContainEqual({ type: 'resume', at: T0 + 5 * options.timeout })
    expect(c.view).toMatchObject({ phase: 'active', remainingMs: options.timeout })
    await vi.advanceTimersByTimeAsync(options.timeout)
    expect(h.expired).toEqual(['idle'])
  })

  it('the absolute deadline is never paused', async () => {
    const h = makeHost()
    const c = h.start({ lastActivityAt: T0, signedInAt: T0, absoluteDeadline: T0 + 30_000 })
    c.pause()
    await vi.advanceTimersByTimeAsync(26_000)
    expect(c.view.phase).toBe('warning')
    await vi.advanceTimersByTimeAsync(4_000)
    expect(h.expired).toEqual(['absolute'])
  })

  it('a pause or resume from another tab applies here; a stored snapshot carries the pause', async () => {
    const h = makeHost()
    const c = h.start()
    c.receive({ v: 1, type: 'pause', at: T0 })
    await vi.advanceTimersByTimeAsync(3 * options.timeout)
    expect(h.expired).toEqual([])
    expect(c.snapshot.pausedAt).toBe(T0)
    c.receive({ v: 1, type: 'resume', at: Date.now() })
    expect(c.view.phase).toBe('active')
    expect(c.snapshot.pausedAt).toBeUndefined()

    const fresh = makeHost().start({ lastActivityAt: T0, pausedAt: T0 })
    expect(fresh.view.phase).toBe('paused')
  })

  it('update: a stricter timeout applies at once; the absolute deadline comes nearer, never later', async () => {
    const h = makeHost()
    const c = h.start({ lastActivityAt: T0, signedInAt: T0, absoluteDeadline: T0 + 60_000 })
    c.update({ ...options, timeout: 6_000, warnBefore: 2_000 })
    expect(c.view.remainingMs).toBe(6_000)
    c.update({ ...options, timeout: 6_000, warnBefore: 2_000, absoluteTimeout: 120_000 })
    expect(c.snapshot.absoluteDeadline, 'never later').toBe(T0 + 60_000)
    c.update({ ...options, timeout: 6_000, warnBefore: 2_000, absoluteTimeout: 5_000 })
    expect(c.snapshot.absoluteDeadline).toBe(T0 + 5_000)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(h.expired).toEqual(['absolute'])
  })

  it('tells its listeners of phase changes and of each second of the countdown, not of every check', async () => {
    const h = makeHost()
    const c = h.start()
    h.changes.length = 0
    c.check()
    c.check()
    expect(h.changes).toEqual([])
    await vi.advanceTimersByTimeAsync(options.timeout - options.warnBefore)
    expect(h.changes).toEqual(['warning'])
    await vi.advanceTimersByTimeAsync(2_000)
    expect(h.changes).toEqual(['warning', 'warning', 'warning'])
    c.pause()
    expect(h.changes.at(-1)).toBe('paused')
  })
})
