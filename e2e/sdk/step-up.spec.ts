// Issue 11, item 4: a sensitive route that wants a recent sign-in answers an RFC 9470 step-up
// challenge. The session stays; session.reauthenticate() (token mode here, cookie mode in
// e2e/classic/step-up.spec.ts, OAuth in e2e/oauth/step-up.spec.ts) confirms the password and the
// action runs. A wrong password leaves the session as it was and the action refused.
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { events, TOKEN_AUTH } from '../support/harness.js'
import { ALICE } from '../support/server.js'

/** The reference server's recent-auth window for its sensitive routes, shortened so a sign-in gets old fast. */
const MAX_AGE_S = 1
const AGED_MS = MAX_AGE_S * 1_000 + 600

test.use({ sessionOptions: { auth: { ...TOKEN_AUTH, reauthUrl: '/auth/reauth' } } })

/** `DELETE /api/notes` through the vault: the status, or the error's code and step-up fields. */
function deleteAllNotes(page: Page) {
  return page.evaluate(async () => {
    try {
      return { status: (await window.session.fetch('/api/notes', { method: 'DELETE' })).status }
    } catch (error) {
      const { code, acrValues, maxAge } = error as { code?: string; acrValues?: string[]; maxAge?: number }
      return { code, acrValues, maxAge }
    }
  })
}

function notes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const { notes } = await (await window.session.fetch('/api/notes')).json()
    return (notes as { text: string }[]).map(note => note.text)
  })
}

function reauthenticate(page: Page, password: string) {
  return page.evaluate(
    ([username, pw]) => window.attempt(() => window.session.reauthenticate({ username, password: pw })),
    [ALICE.username, password] as const,
  )
}

async function addNote(page: Page, text: string): Promise<void> {
  const status = await page.evaluate(
    async t =>
      (
        await window.session.fetch('/api/notes', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: t }),
        })
      ).status,
    text,
  )
  expect(status).toBe(201)
}

test.beforeEach(async ({ server }) => {
  await server.post('/test/step-up', { maxAge: MAX_AGE_S })
})

test('a sign-in older than the window gets ERR_STEP_UP_REQUIRED and a step-up event, no refresh, and the session stays', async ({
  signedIn: page,
  server,
}) => {
  await addNote(page, 'first')
  await page.waitForTimeout(AGED_MS)
  const refreshes = (await server.counters()).refresh
  expect(await deleteAllNotes(page)).toEqual({ code: 'ERR_STEP_UP_REQUIRED', maxAge: MAX_AGE_S })
  expect((await events(page, 'step-up')).map(e => e.payload)).toEqual([{ maxAge: MAX_AGE_S }])
  expect(await page.evaluate(() => window.session.state)).toBe('authenticated')
  expect(await events(page, 'logout')).toEqual([])
  expect((await server.counters()).refresh, 'a step-up challenge is not answered with a refresh').toBe(refreshes)
  expect(await notes(page)).toEqual(['first'])
})

test('a wrong password: ERR_LOGIN_FAILED, the session stays as it was, the action is still refused', async ({
  signedIn: page,
  server,
}) => {
  await addNote(page, 'keep me')
  await page.waitForTimeout(AGED_MS)
  const before = await server.tokens()
  const wrong = await reauthenticate(page, 'not the password')
  expect(wrong).toMatchObject({ ok: false, error: { code: 'ERR_LOGIN_FAILED' } })
  expect(JSON.stringify(wrong)).not.toContain('not the password')
  expect(await page.evaluate(() => window.session.state)).toBe('authenticated')
  expect((await server.tokens()).accessToken === before.accessToken, 'the tokens did not change').toBe(true)
  expect(await deleteAllNotes(page)).toMatchObject({ code: 'ERR_STEP_UP_REQUIRED' })
  expect(await notes(page)).toEqual(['keep me'])
})

test('the right password: new tokens for the same session, and the action runs', async ({ signedIn: page, server }) => {
  await addNote(page, 'delete me')
  await page.waitForTimeout(AGED_MS)
  const before = await server.tokens()
  const sessionsBefore = await page.evaluate(
    async () => (await (await window.session.fetch('/api/sessions')).json()).sessions.length,
  )
  expect(await reauthenticate(page, ALICE.password)).toMatchObject({ ok: true })
  expect((await server.tokens()).accessToken === before.accessToken, 'the access token was renewed').toBe(false)
  expect([200, 204]).toContain((await deleteAllNotes(page)).status)
  expect(await notes(page)).toEqual([])
  const sessionsAfter = await page.evaluate(
    async () => (await (await window.session.fetch('/api/sessions')).json()).sessions.length,
  )
  expect(sessionsAfter, 'the same session, not a new one').toBe(sessionsBefore)
  expect(await events(page, 'logout')).toEqual([])
})

test('demo SPA: "Delete all notes" asks for the password, refuses a wrong one, then deletes', async ({
  spaSignedIn: page,
}) => {
  await page.getByLabel('New note').fill('a private note')
  await page.getByRole('button', { name: 'Add' }).click()
  await expect(page.locator('#notes li')).toHaveText(['a private note'])
  await page.waitForTimeout(AGED_MS)
  await page.getByRole('button', { name: 'Delete all notes' }).click()
  const prompt = page.getByRole('dialog', { name: 'Confirm it is you' })
  await expect(prompt).toBeVisible()
  await prompt.getByLabel('Password').fill('wrong password')
  await prompt.getByRole('button', { name: 'Confirm' }).click()
  await expect(prompt.getByRole('alert')).toHaveText('Wrong password.')
  await expect(prompt.getByLabel('Password'), 'the wrong password is not left in the field').toHaveValue('')
  await expect(page.locator('#notes li')).toHaveText(['a private note'])
  await prompt.getByLabel('Password').fill(ALICE.password)
  await prompt.getByRole('button', { name: 'Confirm' }).click()
  await expect(prompt).toBeHidden()
  await expect(page.locator('#notes li')).toHaveCount(0)
  await expect(page.getByText('Signed in as')).toBeVisible()
})
