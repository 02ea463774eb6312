import { expect, test } from '@playwright/test'
import { events, login, openHarness, startSession, state, vaultFetch } from '../support/harness.js'
import { TestServer } from '../support/server.js'

test.beforeEach(async ({ request }) => {
  await new TestServer(request).reset()
})

test('sign in, fetch /api/me through the vault', async ({ page }) => {
  await openHarness(page)
  expect(await startSession(page)).toEqual({ state: 'anonymous' })
  expect(await login(page)).toEqual({ ok: true })
  expect(await state(page)).toBe('authenticated')
  const me = await vaultFetch(page, '/api/me')
  expect(me.ok).toBe(true)
  expect(me.value!.status).toBe(200)
  expect(JSON.parse(me.value!.text)).toMatchObject({ username: 'alice' })
  const authenticated = await events(page, 'authenticated')
  expect(authenticated).toHaveLength(1)
  expect(Object.keys(authenticated[0]!.payload).sort()).toEqual(['authenticated', 'expiresAt'])
})
