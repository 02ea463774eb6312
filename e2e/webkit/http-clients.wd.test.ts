// ky and axios on session.fetch in WebKit (Chromium and Firefox: e2e/sdk/http-clients.spec.ts).
import { By, until } from 'selenium-webdriver'
import { describe, expect, test } from 'vitest'
import { ABORTED, clientAbort, clientOutcomes, expectClientOutcomes } from '../support/http-client-scenarios.js'
import { FORM_SIGN_IN_MS, PROMPT_MS } from '../support/timeouts.js'
import { ALICE, useWebKit } from './driver.js'

const wk = useWebKit()

async function signedIn(): Promise<void> {
  await wk.go('/vite/')
  await wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css('#status')), 'Signed out.'), PROMPT_MS)
  await wk.driver.findElement(By.css('input[name=password]')).sendKeys(ALICE.password)
  await wk.driver.findElement(By.css('button[type=submit]')).click()
  await wk.driver.wait(until.elementLocated(By.css('#who')), FORM_SIGN_IN_MS)
  await wk.driver.wait(until.elementTextIs(wk.driver.findElement(By.css('#who')), 'alice'), PROMPT_MS)
}

describe('WebKit: HTTP clients on session.fetch', () => {
  test('ky and axios: answers, HTTP errors, a refused origin', async () => {
    await signedIn()
    expectClientOutcomes(await wk.run(clientOutcomes), expect)
  })

  test.each(['ky', 'axios'] as const)('%s: an abort rejects with its own error and drops the request', async client => {
    await signedIn()
    // The proxy holds the vault's request on its way to the server; the abort must close it there.
    const held = wk.proxy.hold(/^\/api\/bytes\?n=64$/)
    try {
      expect(await wk.run(clientAbort, [client, '/api/bytes?n=64'])).toMatchObject(ABORTED[client])
      const dropped = await Promise.race([held.aborted, new Promise<boolean>(r => setTimeout(() => r(false), 3_000))])
      expect(dropped, 'the request was dropped on the wire').toBe(true)
    } finally {
      held.remove()
    }
  })
})
