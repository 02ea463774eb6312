import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type MonitorHost, StatusMonitor } from './monitor.js'
import type { OutgoingTabMessage } from './tab-channel.js'

const INTERVAL = 10_000

function host(check: () => Promise<unknown> = async () => null) {
  const posted: OutgoingTabMessage[] = []
  const failures: unknown[] = []
  const checks = vi.fn(check)
  const fake: MonitorHost = {
    check: checks,
    post: message => posted.push(message),
    tryLock: (_name, task) => task(),
    failed: error => failures.push(error),
  }
  return { fake, posted, failures, checks }
}

const monitors: StatusMonitor[] = []
function start(fake: MonitorHost, onFocus = true) {
  const monitor = new StatusMonitor({ interval: INTERVAL, onFocus }, fake)
  monitors.push(monitor)
  return monitor
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 })
})
afterEach(() => {
  for (const monitor of monitors.splice(0)) monitor.stop()
  vi.useRealTimers()
})

describe('StatusMonitor', () => {
  it('checks once per interval and tells the other tabs each time', async () => {
    const { fake, posted, checks } = host()
    start(fake)
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(checks).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(checks).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(2 * INTERVAL)
    expect(checks).toHaveBeenCalledTimes(3)
    expect(posted).toEqual([
      { type: 'status', at: 1_700_000_000_000 + INTERVAL },
      { type: 'status', at: 1_700_000_000_000 + 2 * INTERVAL },
      { type: 'status', at: 1_700_000_000_000 + 3 * INTERVAL },
    ])
  })

  it('leaves the check to the tab that just made one', async () => {
    const { fake, checks } = host()
    const monitor = start(fake)
    await vi.advanceTimersByTimeAsync(INTERVAL - 100)
    monitor.heard(Date.now())
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(checks).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(checks).toHaveBeenCalledTimes(1)
  })

  it('skips a check that another tab made while this one waited for the lock', async () => {
    const { fake, checks } = host()
    let monitor: StatusMonitor | undefined
    fake.tryLock = async (_name, task) => {
      monitor?.heard(Date.now())
      await task()
    }
    monitor = start(fake)
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(checks).not.toHaveBeenCalled()
  })

  it('checks on focus, at most once a second, and only with onFocus', async () => {
    const { fake, checks } = host()
    const monitor = start(fake)
    monitor.focus()
    monitor.focus()
    await vi.advanceTimersByTimeAsync(0)
    expect(checks).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_000)
    monitor.focus()
    await vi.advanceTimersByTimeAsync(0)
    expect(checks).toHaveBeenCalledTimes(2)

    const quiet = host()
    start(quiet.fake, false).focus()
    await vi.advanceTimersByTimeAsync(0)
    expect(quiet.checks).not.toHaveBeenCalled()
  })

  it('a check after a focus starts a whole new interval', async () => {
    const { fake, checks } = host()
    const monitor = start(fake)
    await vi.advanceTimersByTimeAsync(INTERVAL / 2)
    monitor.focus()
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(checks).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(checks).toHaveBeenCalledTimes(2)
  })

  it('reports a failed check and keeps checking', async () => {
    const failure = new Error('unreachable')
    const { fake, failures, checks } = host(async () => {
      throw failure
    })
    start(fake)
    await vi.advanceTimersByTimeAsync(2 * INTERVAL)
    expect(checks).toHaveBeenCalledTimes(2)
    expect(failures).toEqual([failure, failure])
  })

  it('a clock set back does not postpone the next check', async () => {
    const { fake, checks } = host()
    const monitor = start(fake)
    monitor.heard(Date.now() + 60 * 60_000)
    await vi.advanceTimersByTimeAsync(0)
    expect(checks).toHaveBeenCalledTimes(1)
  })

  it('stops for good', async () => {
    const { fake, checks } = host()
    const monitor = start(fake)
    monitor.stop()
    monitor.focus()
    await vi.advanceTimersByTimeAsync(3 * INTERVAL)
    expect(checks).not.toHaveBeenCalled()
  })
})
