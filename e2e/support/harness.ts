import { expect, type Page } from '@playwright/test'
import { ALICE, TOKEN_AUTH } from './reference.mjs'
import { ORIGIN } from './server.js'
import type { AttemptResult, ErrorData, Info, SessionEventRecord } from './window.js'

export type { AttemptResult, ErrorData, Info, SessionEventRecord }

export { TOKEN_AUTH }

/** Opens the harness page (strict CSP) and waits for its module to load. */
export async function openHarness(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/e2e/support/page.html`)
  await page.waitForFunction(() => window.harnessReady === true)
}

/** createSession(options) in the page; resolves the state after `ready` (or the error). */
export async function startSession(
  page: Page,
  options: Record<string, unknown> = {},
): Promise<{ state: string; error?: ErrorData }> {
  return page.evaluate(opts => window.start(opts), { auth: TOKEN_AUTH, dialog: false, ...options })
}

export async function events(page: Page, name?: string): Promise<SessionEventRecord[]> {
  const all = await page.evaluate(() => window.events)
  return name ? all.filter(event => event.name === name) : all
}

export async function state(page: Page): Promise<string> {
  return page.evaluate(() => window.session.state)
}

/** `session.fetch` in the page; returns status and text, or the error as data. */
export async function vaultFetch(
  page: Page,
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<AttemptResult<{ status: number; text: string; redirected: boolean; url: string }>> {
  return page.evaluate(
    ([u, i]) =>
      window.attempt(async () => {
        const response = await window.session.fetch(u, i)
        return {
          status: response.status,
          text: await response.text(),
          redirected: response.redirected,
          url: response.url,
        }
      }),
    [url, init] as const,
  )
}

export async function login(page: Page, credentials = ALICE): Promise<AttemptResult> {
  return page.evaluate(c => window.attempt(() => window.session.login(c)), credentials)
}

/** What `session.info` says in the page. */
export async function info(page: Page): Promise<Info> {
  return page.evaluate(() => window.session.info)
}

/**
 * Token mode's one sign-in: opens the harness, creates a session with `options` (token
 * auth added), which must come up anonymous, and signs alice in. Resolves `session.info`.
 */
export async function signIn(page: Page, options: Record<string, unknown> = {}): Promise<Info> {
  await openHarness(page)
  expect(await startSession(page, options)).toEqual({ state: 'anonymous' })
  expect(await login(page)).toEqual({ ok: true })
  return info(page)
}

/** The real vault plus test hooks (demo/server/routes/test-support.mjs): works in every engine, unlike evaluating in a worker. */
export const VAULT_WITH_HOOKS = '/test/workers/vault-hooks.js'

/** Tells a {@link VAULT_WITH_HOOKS} vault to `close` (go silent), `throw`, or `leak` a token. */
export async function vaultHook(
  page: Page,
  command: { do: 'close' | 'throw' } | { do: 'leak'; token: string },
): Promise<void> {
  // Resolves once the vault acknowledged it: a fetch sent after a `close` can no longer reach it.
  await page.evaluate(
    message =>
      new Promise<void>((resolve, reject) => {
        const channel = new BroadcastChannel('session-vault-test-hooks')
        const timer = setTimeout(() => {
          channel.close()
          reject(new Error(`the vault did not acknowledge ${message.do}`))
        }, 5_000)
        channel.onmessage = ({ data }) => {
          if (data?.done !== message.do) return
          clearTimeout(timer)
          channel.close()
          resolve()
        }
        channel.postMessage(message)
      }),
    command,
  )
}
