import type { Page } from '@playwright/test'
import { fromNode, sessionCookieValue, sessionOf, signInClassic, waitForSdkState } from '../classic/support.js'
import { expect, test } from '../support/fixtures.js'

interface Outcome {
  status: number
  body: { error?: string; text?: string; notes: { text: string }[]; [key: string]: unknown }
}

type Init = { method: string; body?: string; headers?: Record<string, string> }

/**
 * A request from the page, and its answer: `via: 'page'` is plain `fetch` (the session cookie goes
 * along, same origin, but no CSRF token); `via: 'vault'` is `SessionVault.current.fetch`, which adds
 * the CSRF token where it belongs.
 */
function fetchIn(page: Page, via: 'page' | 'vault', url: string, init: Init): Promise<Outcome> {
  return page.evaluate(
    async ([v, u, i]) => {
      const response: Response = await (v === 'vault' ? window.SessionVault.current!.fetch(u, i) : fetch(u, i))
      return { status: response.status, body: await response.json() }
    },
    [via, url, init] as const,
  )
}

const plainFetch = (page: Page, url: string, init: Init) => fetchIn(page, 'page', url, init)
const vaultFetch = (page: Page, url: string, init: Init) => fetchIn(page, 'vault', url, init)

const NOTE = (text: string) => ({
  method: 'POST',
  body: JSON.stringify({ text }),
  headers: { 'Content-Type': 'application/json' },
})

test('a POST without the CSRF token is refused; SessionVault.current.fetch adds it on unsafe methods only', async ({
  server,
  context,
  page,
}) => {
  await signInClassic(page)
  await waitForSdkState(page, 'authenticated')
  const cookie = await sessionCookieValue(context)
  const { csrfToken } = await sessionOf(cookie)
  expect(csrfToken).toBeTruthy()
  expect((await server.counters()).csrfRejected).toBe(0)

  // From the page, with the session cookie but without the token: 403.
  expect(await plainFetch(page, '/classic/api/notes', NOTE('plain fetch'))).toEqual({
    status: 403,
    body: { error: 'invalid_csrf_token' },
  })
  expect((await server.counters()).csrfRejected).toBe(1)
  // ...and the same for the other unsafe methods.
  for (const method of ['PUT', 'PATCH', 'DELETE']) {
    expect((await plainFetch(page, '/classic/api/echo', { method })).status, method).toBe(403)
  }
  expect((await server.counters()).csrfRejected).toBe(4)

  // From Node, with the session cookie but no token, or a wrong one: 403 (JSON route and form route).
  const json = { 'Content-Type': 'application/json' }
  const noToken = await fromNode('/classic/api/notes', cookie, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ text: 'node' }),
  })
  expect(noToken.status).toBe(403)
  expect(await noToken.json()).toEqual({ error: 'invalid_csrf_token' })
  const wrongToken = await fromNode('/classic/api/notes', cookie, {
    method: 'POST',
    headers: { ...json, 'X-CSRF-Token': `${csrfToken!.slice(0, -2)}xx` },
    body: JSON.stringify({ text: 'node, wrong token' }),
  })
  expect(wrongToken.status).toBe(403)
  const form = await fromNode('/classic/notes', cookie, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'text=form+without+token',
  })
  expect(form.status).toBe(403)
  expect(await form.text()).toContain('id="refused"')
  expect((await server.counters()).csrfRejected).toBe(7)
  // Nothing was written; the refusals did not end the session.
  const notes = await fromNode('/classic/api/notes', cookie)
  expect(notes.status).toBe(200)
  expect(await notes.json()).toEqual({ notes: [] })

  // Through the vault: the token is added, the note is created.
  const created = await vaultFetch(page, '/classic/api/notes', NOTE('x'))
  expect(created.status).toBe(201)
  expect(created.body).toMatchObject({ text: 'x' })
  expect(
    (await vaultFetch(page, '/classic/api/notes', { method: 'GET' })).body.notes.map((n: { text: string }) => n.text),
  ).toEqual(['x'])
  // Control: the same token from Node works, so the 403s above were about the token alone.
  const withToken = await fromNode('/classic/api/notes', cookie, {
    method: 'POST',
    headers: { ...json, 'X-CSRF-Token': csrfToken! },
    body: JSON.stringify({ text: 'node, right token' }),
  })
  expect(withToken.status).toBe(201)

  // The header travels on state-changing methods, never on GET.
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    const echo = await vaultFetch(page, '/classic/api/echo', { method })
    expect(echo, method).toEqual({
      status: 200,
      body: expect.objectContaining({ method, csrfHeader: method !== 'GET' }),
    })
  }
  expect((await server.counters()).csrfRejected).toBe(7)
  expect(await page.evaluate(() => window.SessionVault.current!.state)).toBe('authenticated')
})
