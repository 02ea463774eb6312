// Issue 12: session.fetch is a fetch, so the HTTP clients apps use take it as their own in one line
// (demo/vite-spa: ky.create({ fetch: session.fetch }) and axios's fetch adapter with env.fetch).
// Answers, HTTP errors in the client's own shape, a refused origin with the SDK's code reachable,
// and aborts that stop the request at the server.
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures.js'
import { ALICE, ORIGIN } from '../support/server.js'
import { poll } from '../support/tab.js'

declare global {
  interface Window {
    api: {
      get(url: string, options?: Record<string, unknown>): Promise<Response> & { json(): Promise<unknown> }
    }
    http: { get(url: string, config?: Record<string, unknown>): Promise<{ status: number; data: unknown }> }
  }
}

async function signedIn(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/vite/`)
  await expect(page.locator('#status')).toHaveText('Signed out.')
  await page.fill('input[name=password]', ALICE.password)
  await page.click('button[type=submit]')
  await expect(page.locator('#who')).toHaveText('alice')
}

test('ky and axios through session.fetch: answers, HTTP errors, a refused origin, aborts', async ({
  page,
  request,
}) => {
  await signedIn(page)
  const outcome = await page.evaluate(async () => {
    const caught = async (fn: () => Promise<unknown>) => {
      try {
        await fn()
        return 'no error'
      } catch (error) {
        const e = error as { name?: string; code?: string; cause?: { code?: string }; response?: { status: number } }
        return { name: e.name, code: e.code, causeCode: e.cause?.code, status: e.response?.status }
      }
    }
    return {
      ky: (await window.api.get('/api/me').json()) as { username: string },
      axios: (await window.http.get('/api/me')).data as { username: string },
      kyHttpError: await caught(() => window.api.get('/api/status/404')),
      axiosHttpError: await caught(() => window.http.get('/api/status/404')),
      kyRefused: await caught(() => window.api.get('https://untrusted.example/steal')),
      axiosRefused: await caught(() => window.http.get('https://untrusted.example/steal')),
    }
  })
  expect(outcome.ky.username).toBe('alice')
  expect(outcome.axios.username).toBe('alice')
  expect(outcome.kyHttpError).toMatchObject({ name: 'HTTPError', status: 404 })
  expect(outcome.axiosHttpError).toMatchObject({ name: 'AxiosError', status: 404 })
  // ky passes the SDK's error through; axios wraps it, with the SDK's error as its cause.
  expect(outcome.kyRefused).toMatchObject({ name: 'SessionVaultError', code: 'ERR_UNTRUSTED_ORIGIN' })
  expect(outcome.axiosRefused).toMatchObject({ name: 'AxiosError', causeCode: 'ERR_UNTRUSTED_ORIGIN' })

  // Aborts: the client's own abort error, and the server sees the request go.
  for (const client of ['ky', 'axios'] as const) {
    const id = `${client}-${Date.now()}`
    const aborted = page.evaluate(
      async ([c, url]) => {
        const controller = new AbortController()
        setTimeout(() => controller.abort(), 300)
        try {
          if (c === 'ky') await window.api.get(url, { signal: controller.signal, timeout: false })
          else await window.http.get(url, { signal: controller.signal })
          return 'no error'
        } catch (error) {
          const e = error as { name?: string; code?: string }
          return { name: e.name, code: e.code }
        }
      },
      [client, `/test/hold?id=${id}`] as const,
    )
    expect(await aborted, client).toMatchObject(client === 'ky' ? { name: 'AbortError' } : { code: 'ERR_CANCELED' })
    const held = async () =>
      (await (await request.get(`${ORIGIN}/test/abandoned?id=${id}`)).json()) as { abandoned: boolean }
    expect((await poll(held, h => h.abandoned, 3_000)).abandoned, `${client}: the server saw the abort`).toBe(true)
  }
})
