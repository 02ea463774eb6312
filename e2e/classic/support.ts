// Helpers for the /classic/ specs (classic, fixation, csrf, csp, script-tag) and the
// classic pages of e2e/security and e2e/a11y. Node side only.
import { type BrowserContext, expect, type Page } from '@playwright/test'
import { ALICE, ORIGIN } from '../support/server.js'
import { PROMPT_MS } from '../support/timeouts.js'

export const LOGIN = `${ORIGIN}/classic/login`
export const HOME = `${ORIGIN}/classic/`
export const OTHER = `${ORIGIN}/classic/other`
export const SIGNED_OUT = `${ORIGIN}/classic/login?signed-out=1`
export const SESSION_COOKIE = '__Host-sv_s'

/** The session events auto-init re-dispatches on `document` as `session-vault:<name>`. */
export const DOCUMENT_EVENTS = ['authenticated', 'warning', 'extended', 'logout', 'error'] as const

/** A re-dispatched event's detail, as JSON: the payload of the session event. */
export interface EventDetail {
  reason?: string
  code?: string
  message?: string
  [key: string]: unknown
}

export interface Recorded {
  /** The tab that recorded it. */
  page: Page
  kind: 'event' | 'csp' | 'pageshow'
  url: string
  /** event: the event name without the prefix. */
  name?: string
  detail?: EventDetail
  /** csp: the violation. */
  directive?: string
  blocked?: string
  sample?: string
  /** pageshow: restored from the back/forward cache, and whether the signed-in header was in the document. */
  persisted?: boolean
  signedIn?: boolean
}

/**
 * Records, in every tab of `context` and across navigations: the
 * `session-vault:*` CustomEvents that reach `document`, every
 * `securitypolicyviolation`, and every `pageshow` (with whether a signed-in
 * page was on screen). Listeners are added by an init script, so they are in
 * place before the page's own scripts run. Call before opening pages.
 */
export async function recordPages(context: BrowserContext): Promise<Recorded[]> {
  const records: Recorded[] = []
  await context.exposeBinding('__classicRecord', ({ page }, record: Omit<Recorded, 'page'>) => {
    records.push({ page, ...record })
  })
  await context.addInitScript((names: readonly string[]) => {
    const send = (record: Record<string, unknown>) => {
      try {
        void window.__classicRecord({ url: location.href, ...record }).catch(() => {})
      } catch {
        /* binding gone while the page unloads */
      }
    }
    for (const name of names) {
      document.addEventListener(`session-vault:${name}`, event => {
        send({ kind: 'event', name, detail: JSON.parse(JSON.stringify((event as CustomEvent).detail ?? null)) })
      })
    }
    document.addEventListener('securitypolicyviolation', event => {
      send({ kind: 'csp', directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample })
    })
    addEventListener('pageshow', event => {
      send({ kind: 'pageshow', persisted: event.persisted, signedIn: document.getElementById('signed-in-as') !== null })
    })
  }, DOCUMENT_EVENTS)
  return records
}

export const eventsOf = (records: Recorded[], name: string, page?: Page) =>
  records.filter(r => r.kind === 'event' && r.name === name && (!page || r.page === page))

/** Cookie mode's one sign-in: through the login form; lands on /classic/ (the notes page). */
export async function signInClassic(page: Page, credentials = ALICE): Promise<void> {
  await page.goto(LOGIN)
  await submitClassicLogin(page, credentials)
}

/** Fills and sends the login form of the page that is open (the login page); lands on /classic/. */
export async function submitClassicLogin(page: Page, credentials = ALICE): Promise<void> {
  await page.locator('#login-form #username').fill(credentials.username)
  await page.locator('#login-form #password').fill(credentials.password)
  await page.locator('#login-form button[type=submit]').click()
  await page.waitForURL(HOME)
  await expect(page.locator('#signed-in-as')).toHaveText('Signed in as Alice Liddell')
}

/** Waits until the script tag's session (`SessionVault.current`) reaches `state`. */
export async function waitForSdkState(page: Page, state: string, timeout = PROMPT_MS): Promise<void> {
  await page.waitForFunction(s => window.SessionVault?.current?.state === s, state, { timeout, polling: 20 })
}

/** The session cookie's value in the browser, or undefined. */
export async function sessionCookieValue(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies(ORIGIN)).find(c => c.name === SESSION_COOKIE)?.value
}

/** A request from Node (no browser, no cookie jar) with only this session cookie; redirects are not followed. */
export function fromNode(path: string, cookie: string | undefined, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  if (cookie !== undefined) headers.set('Cookie', `${SESSION_COOKIE}=${cookie}`)
  return fetch(`${ORIGIN}${path}`, { ...init, headers, redirect: 'manual' })
}

/** `GET /classic/session` from Node with this cookie. */
export async function sessionOf(cookie: string | undefined): Promise<{ authenticated: boolean; csrfToken?: string }> {
  const response = await fromNode('/classic/session', cookie)
  expect(response.status).toBe(200)
  return response.json()
}

/** Console errors and uncaught exceptions of a page from now on (the script tag must fail loudly, never silently). */
export function watchErrors(page: Page): { consoleErrors: string[]; pageErrors: string[] } {
  const watched = { consoleErrors: [] as string[], pageErrors: [] as string[] }
  page.on('console', message => {
    if (message.type() === 'error') watched.consoleErrors.push(message.text())
  })
  page.on('pageerror', error => watched.pageErrors.push(`${error.name}: ${error.message}`))
  return watched
}
