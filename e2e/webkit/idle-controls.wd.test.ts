// The idle control API in WebKit (Chromium and Firefox: e2e/idle/idle-controls.spec.ts): a pause
// in one tab holds the idle timeout in the other past its deadline, resume starts it again, and
// with idle.frames typing in a same-origin iframe counts as activity.
import { By } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import { PROMPT_MS } from '../support/timeouts.js'
import { useWebKit, webkitTab } from './driver.js'

const TIMEOUT = 4_000
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

const wk = useWebKit({ lifetimes: { idleTimeout: 60 } })

const idle = () => wk.run(() => ({ phase: window.session.idle.phase, remainingMs: window.session.idle.remainingMs }))

describe('WebKit: session.idle', () => {
  test('pause in one tab holds the idle timeout in the other past its deadline; resume starts it again', async () => {
    const options = { idle: { timeout: TIMEOUT, warnBefore: 1_000 } }
    await wk.signedIn(options)
    const first = await wk.driver.getWindowHandle()
    const second = await wk.newTab()
    expect(await wk.startSession(options)).toEqual({ state: 'authenticated' })
    await wk.driver.switchTo().window(first)
    await wk.run(() => window.session.idle.pause())
    await wk.driver.switchTo().window(second)
    await wk.waitInPage(() => window.session.idle.phase === 'paused', [], PROMPT_MS)
    await sleep(TIMEOUT + 1_500)
    for (const tab of [first, second]) {
      await wk.driver.switchTo().window(tab)
      expect(await wk.state()).toBe('authenticated')
      expect((await idle()).remainingMs).toBeGreaterThan(TIMEOUT - 1_000)
    }
    await wk.run(() => window.session.idle.resume())
    await wk.driver.switchTo().window(first)
    await wk.waitInPage(() => window.session.idle.phase === 'active', [], PROMPT_MS)
    const [ended] = await wk.waitForEvents('logout', TIMEOUT + PROMPT_MS)
    expect(ended!.payload).toMatchObject({ reason: 'idle' })
  })

  test('idle.frames: typing in a same-origin iframe counts as activity', async () => {
    await wk.signedIn({ idle: { timeout: '8s', warnBefore: '2s', frames: true } })
    await webkitTab(wk).step('editorFrame', 'editor')
    await sleep(3_000)
    const before = (await idle()).remainingMs!
    expect(before).toBeLessThan(5_500)
    await wk.driver.switchTo().frame(wk.driver.findElement(By.css('iframe[name=editor]')))
    await wk.driver.findElement(By.css('#text')).sendKeys('typing')
    await wk.driver.switchTo().defaultContent()
    expect((await idle()).remainingMs, 'the idle deadline moved with the typing in the frame').toBeGreaterThan(7_000)
  })
})
