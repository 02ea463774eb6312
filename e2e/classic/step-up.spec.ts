// Issue 11, item 4 in cookie mode: the script-tag session of the /classic/ pages meets the step-up
// challenge of a sensitive route, re-authenticates at /classic/reauth (the cookie is rotated, the
// old one stops working), and the action runs; a wrong password changes nothing.
import type { Page } from '@playwright/test'
import { fromNode, sessionCookieValue, sessionOf, waitForSdkState } from '../classic/support.js'
import { expect, test } from '../support/fixtures.js'
import { ALICE } from '../support/server.js'

const MAX_AGE_S = 1
const AGED_MS = MAX_AGE_S * 1_000 + 600

/** A call through the script tag's session: the status, or the error's code and step-up fields. */
function vault(page: Page, method: string, url: string, body?: unknown) {
  return page.evaluate(
    async ([m, u, b]) => {
      try {
        const init: RequestInit = { method: m }
        if (b !== undefined) {
          init.body = JSON.stringify(b)
          init.headers = { 'Content-Type': 'application/json' }
        }
        const response = await window.SessionVault.current!.fetch(u, init)
        return { status: response.status, body: await response.json() }
      } catch (error) {
        const { code, maxAge } = error as { code?: string; maxAge?: number }
        return { code, maxAge }
      }
    },
    [method, url, body] as const,
  )
}

function reauthenticate(page: Page, password: string) {
  return page.evaluate(
    ([username, pw]) =>
      window.SessionVault.current!.reauthenticate({ username, password: pw }).then(
        () => ({ ok: true }),
        (error: { code?: string }) => ({ ok: false, code: error.code }),
      ),
    [ALICE.username, password] as const,
  )
}

test('cookie mode: step-up challenge, a wrong password changes nothing, the right one rotates the cookie and the action runs', async ({
  classicSignedIn: page,
  context,
  server,
}) => {
  await server.post('/test/step-up', { maxAge: MAX_AGE_S })
  await waitForSdkState(page, 'authenticated')
  expect((await vault(page, 'POST', '/classic/api/notes', { text: 'private' })).status).toBe(201)
  await page.waitForTimeout(AGED_MS)

  expect(await vault(page, 'DELETE', '/classic/api/notes')).toEqual({ code: 'ERR_STEP_UP_REQUIRED', maxAge: MAX_AGE_S })
  expect(await page.evaluate(() => window.SessionVault.current!.state)).toBe('authenticated')

  const before = await sessionCookieValue(context)
  expect(await reauthenticate(page, 'not the password')).toEqual({ ok: false, code: 'ERR_LOGIN_FAILED' })
  expect(await sessionCookieValue(context)).toBe(before)
  expect(await vault(page, 'DELETE', '/classic/api/notes')).toMatchObject({ code: 'ERR_STEP_UP_REQUIRED' })
  expect((await vault(page, 'GET', '/classic/api/notes')).body.notes).toHaveLength(1)

  expect(await reauthenticate(page, ALICE.password)).toEqual({ ok: true })
  const after = await sessionCookieValue(context)
  expect(after && after !== before, 'a new session cookie').toBe(true)
  expect((await sessionOf(before)).authenticated, 'the old cookie stopped working').toBe(false)
  // The vault adopted the new CSRF token: the state-changing call passes the CSRF check.
  expect(await vault(page, 'DELETE', '/classic/api/notes')).toEqual({ status: 200, body: { deleted: 1 } })
  expect((await fromNode('/classic/api/notes', after)).status).toBe(200)
  expect(await page.evaluate(() => window.SessionVault.current!.state)).toBe('authenticated')
})
