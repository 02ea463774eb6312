// Idle in WebKit, with the default dialog: the warning opens on time, "Stay
// signed in" (a real WebDriver click in the dialog's shadow root) extends,
// and with no input the session ends by itself at the deadline.
import { describe, expect, test } from 'vitest'
import { clickDialogButton, poll, useWebKit } from './driver.js'

// The server's own idle timeout is long, so the client's idle timer is the one under test.
const wk = useWebKit({ lifetimes: { idleTimeout: 60 } })

interface Info {
  idleDeadline?: number
}
type Dialog = {
  open: boolean
  modal: boolean
  role: string
  reason: string
  countdown: string | null
  buttons: string[]
} | null

const info = () => wk.run(() => window.session.info) as Promise<Info>
const dialog = () => wk.run(() => window.svScenarios.dialogSnapshot()) as Promise<Dialog>

describe('WebKit: idle warning and automatic logout', () => {
  test('the warning opens on time with the dialog; "Stay signed in" extends the session', async () => {
    // Warning 2.5 s after sign-in; after "Stay signed in" the next one is 2.5 s away again.
    const timeout = 6_000
    const warnBefore = 3_500
    await wk.signedIn({ idle: { timeout, warnBefore }, dialog: true })
    const before = await info()
    expect(before.idleDeadline).toEqual(expect.any(Number))
    const warnAt = before.idleDeadline! - warnBefore

    const [warning] = await wk.waitForEvents('warning', timeout)
    expect(warning!.payload).toMatchObject({ reason: 'idle', deadline: before.idleDeadline })
    expect(warning!.at, 'not before deadline - warnBefore').toBeGreaterThanOrEqual(warnAt)
    expect(warning!.at - warnAt, 'within 500 ms of deadline - warnBefore').toBeLessThan(500)
    expect(await wk.state()).toBe('warning')
    const opened = await poll(dialog, d => d?.open === true, 2_000)
    expect(opened).toMatchObject({ open: true, modal: true, role: 'alertdialog', reason: 'idle' })
    expect(opened!.buttons).toEqual(expect.arrayContaining(['Stay signed in', 'Sign out now']))
    // The countdown ticks.
    await wk.waitForEvents('tick', 2_500, 1)

    const keepalives = (await wk.server.counters()).keepalive
    await clickDialogButton(wk.driver, 'Stay signed in')
    const [extended] = await wk.waitForEvents('extended', 2_000)
    const closed = await poll(dialog, d => d?.open !== true, 2_000)
    expect(
      closed?.open ?? false,
      `the dialog closed (${JSON.stringify(closed)}; events ${JSON.stringify((await wk.events()).map(e => [e.name, e.at]))})`,
    ).toBe(false)
    expect(
      await poll(
        () => wk.state(),
        s => s === 'authenticated',
        2_000,
      ),
    ).toBe('authenticated')
    expect(
      await poll(
        async () => (await wk.server.counters()).keepalive,
        n => n > keepalives,
        2_000,
      ),
    ).toBeGreaterThan(keepalives)
    const after = await info()
    expect(after.idleDeadline!, 'the idle deadline moved').toBeGreaterThan(before.idleDeadline!)
    expect(Math.abs(after.idleDeadline! - (extended!.at + timeout))).toBeLessThan(500)
    expect(await wk.events('logout')).toEqual([])
  })

  test('with no input the session ends with reason idle at the deadline, the dialog closes, the server was told', async () => {
    await wk.signedIn({ idle: { timeout: 3_000, warnBefore: 1_500 }, dialog: true })
    const { idleDeadline } = await info()
    const { accessToken } = await wk.server.tokens()
    const bearer = { Authorization: `Bearer ${accessToken}` }
    const me = () => fetch(new URL('/api/me', wk.server.base), { headers: bearer }).then(r => r.status)
    expect(await me(), 'the token works before').toBe(200)

    await wk.waitForEvents('warning', 3_000)
    expect(await poll(dialog, d => d?.open === true, 1_000)).toMatchObject({ open: true })
    const [logout] = await wk.waitForEvents('logout', 4_000)
    expect(logout!.payload).toEqual({ reason: 'idle', serverConfirmed: true })
    expect(logout!.at, 'not before the deadline').toBeGreaterThanOrEqual(idleDeadline!)
    expect(logout!.at - idleDeadline!, 'within 1 s of the deadline').toBeLessThan(1_000)
    expect(await wk.state()).toBe('ended')
    expect((await dialog())?.open ?? false, 'the dialog is gone').toBe(false)
    expect(await wk.events('extended')).toEqual([])
    expect((await wk.server.counters()).logout).toBe(1)
    expect(await me(), 'the old access token is dead on the server').toBe(401)
  })
})
