import type { Page } from '@playwright/test'
import { ORIGIN } from './server.js'

export const TOKEN_AUTH = {
  type: 'token',
  loginUrl: '/auth/login',
  refreshUrl: '/auth/refresh',
  logoutUrl: '/auth/logout',
  keepaliveUrl: '/auth/keepalive',
} as const

export interface SessionEventRecord {
  name: string
  payload: Record<string, unknown>
  at: number
}

/** Opens the harness page (strict CSP) and waits for its module to load. */
export async function openHarness(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/e2e/support/page.html`)
  await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true)
}

/** createSession(options) in the page; resolves the state after `ready` (or the error). */
export async function startSession(
  page: Page,
  options: Record<string, unknown> = {},
): Promise<{ state: string; error?: { name: string; code: string; message: string } }> {
  return page.evaluate((opts) => (window as any).start(opts), { auth: TOKEN_AUTH, dialog: false, ...options })
}

export async function events(page: Page, name?: string): Promise<SessionEventRecord[]> {
  const all = (await page.evaluate(() => (window as any).events)) as SessionEventRecord[]
  return name ? all.filter((event) => event.name === name) : all
}

export async function state(page: Page): Promise<string> {
  return page.evaluate(() => (window as any).session.state)
}

/** `session.fetch` in the page; returns status and text, or the error as data. */
export async function vaultFetch(
  page: Page,
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ ok: boolean; value?: { status: number; text: string; redirected: boolean; url: string }; error?: { name: string; code: string; message: string } }> {
  return page.evaluate(
    ([u, i]) =>
      (window as any).attempt(async () => {
        const response: Response = await (window as any).session.fetch(u, i)
        return { status: response.status, text: await response.text(), redirected: response.redirected, url: response.url }
      }),
    [url, init] as const,
  )
}

export async function login(page: Page, credentials = { username: 'alice', password: 'correct horse' }) {
  return page.evaluate((c) => (window as any).attempt(() => (window as any).session.login(c)), credentials)
}

/** The real vault plus test hooks (demo/server/routes/test-support.mjs): works in every engine, unlike evaluating in a worker. */
export const VAULT_WITH_HOOKS = '/test/workers/vault-hooks.js'

/** Tells a {@link VAULT_WITH_HOOKS} vault to `close` (go silent), `throw`, or `leak` a token. */
export async function vaultHook(page: Page, command: { do: 'close' | 'throw' } | { do: 'leak'; token: string }): Promise<void> {
  await page.evaluate((message) => {
    const channel = new BroadcastChannel('session-vault-test-hooks')
    channel.postMessage(message)
    channel.close()
  }, command)
}
