import { html } from '../http/html.mjs'

const SDK_SCRIPT = '/assets/session-vault.iife.min.js'
const STYLESHEET = '/classic/static/classic.css'
const ICON = '/classic/static/favicon.svg'
const LOGIN_FORM_SCRIPT = '/classic/static/login-form.js'

/** Where the SDK sends the browser after a logout (and where the logout form lands). */
export const SIGNED_OUT_URL = '/classic/login?signed-out=1'

/** @typedef {import('../http/html.mjs').Html} Html */

/** The longest the warning opens ahead of the idle deadline, seconds. */
const MAX_WARN_BEFORE = 60

/** @param {number} value seconds */
const seconds = value => `${Math.round(value * 1000) / 1000}s`

/**
 * The SDK configuration of the signed-in pages, in step with the server's own
 * lifetimes: the same idle timeout, the warning a quarter of it (at most a
 * minute) ahead, and the absolute timeout (never shorter than the idle
 * timeout, which the SDK would refuse; the exact server deadlines come from
 * `/classic/session` anyway).
 * @param {{ idleTimeout: number, absoluteTimeout: number }} settings seconds
 */
export function classicSdkConfig({ idleTimeout, absoluteTimeout }) {
  return {
    auth: {
      type: 'cookie',
      sessionUrl: '/classic/session',
      keepaliveUrl: '/classic/keepalive',
      statusUrl: '/classic/status',
      reauthUrl: '/classic/reauth',
      logoutUrl: '/classic/logout',
    },
    idle: {
      timeout: seconds(idleTimeout),
      warnBefore: seconds(Math.min(MAX_WARN_BEFORE, idleTimeout / 4)),
      absoluteTimeout: seconds(Math.max(idleTimeout, absoluteTimeout)),
    },
    logout: { redirectTo: SIGNED_OUT_URL },
  }
}

/** @param {Html} configText */
function sdkTags(configText) {
  return html`
<script type="application/json" id="session-vault-config">${configText}</script>
<script src="${SDK_SCRIPT}" data-config="#session-vault-config" defer></script>`
}

/**
 * @param {{ title: string, header?: Html | null, main: Html, scripts?: Html | null }} page
 *   scripts: the page's script tags, in its head
 */
function layout({ title, header = null, main, scripts = null }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Classic notes</title>
<link rel="icon" href="${ICON}" type="image/svg+xml">
<link rel="stylesheet" href="${STYLESHEET}">${scripts}
</head>
<body>
<header class="site">
<p class="brand">Classic notes</p>${header}
</header>
<main>
${main}
</main>
</body>
</html>
`
}

/** @param {{ name: string, csrfToken: string }} view */
function signedInHeader({ name, csrfToken }) {
  return html`
<nav aria-label="Pages">
<a href="/classic/">Notes</a>
<a href="/classic/other">Another page</a>
</nav>
<p class="who" id="signed-in-as">Signed in as <strong>${name}</strong></p>
<form method="post" action="/classic/logout" class="sign-out">
<input type="hidden" name="csrf" value="${csrfToken}">
<button type="submit" data-session-vault-logout>Sign out</button>
</form>`
}

/**
 * @param {{ title: string, user: { name: string }, session: { csrfToken: string }, sdkConfig: Html, main: Html }} view
 *   sdkConfig: the text of the SDK's JSON configuration element
 */
function signedInPage({ title, user, session, sdkConfig, main }) {
  return layout({
    title,
    header: signedInHeader({ name: user.name, csrfToken: session.csrfToken }),
    main,
    scripts: sdkTags(sdkConfig),
  })
}

/** @param {number} epochMs */
function formatTime(epochMs) {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/**
 * After sign-out: a note and a link, no form, so the page sets no cookie and
 * the browser keeps nothing of the site after Clear-Site-Data.
 */
export function signedOutPage() {
  return layout({
    title: 'Signed out',
    main: html`<h1>Signed out</h1>
<p class="message" role="status" id="signed-out">You have been signed out.</p>
<p><a href="/classic/login" id="sign-in-again">Sign in again</a></p>`,
  })
}

/**
 * The sign-in page.
 * @param {{ csrfToken: string, failed: boolean, retryAfter?: number }} view
 *   retryAfter: seconds; the login was refused for too many failed attempts
 */
export function loginPage({ csrfToken, failed, retryAfter = 0 }) {
  return layout({
    title: 'Sign in',
    scripts: html`
<script src="${LOGIN_FORM_SCRIPT}" defer></script>`,
    main: html`<h1>Sign in</h1>
${failed && html`<p class="message error" role="alert" id="login-error">Wrong username or password.</p>`}
${retryAfter > 0 && html`<p class="message error" role="alert" id="login-throttled">Too many failed sign-ins. Try again in ${String(retryAfter)} seconds.</p>`}
<form method="post" action="/classic/login" id="login-form" class="stack">
<input type="hidden" name="csrf" value="${csrfToken}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required maxlength="200">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">Sign in</button>
</form>`,
  })
}

/**
 * The signed-in home page: the user's notes and a form to add one.
 * @param {{ user: { name: string }, session: { csrfToken: string }, sdkConfig: Html,
 *   notes: import('./notes.mjs').Note[], noteError: boolean }} view
 *   sdkConfig: the text of the SDK's JSON configuration element
 */
export function homePage({ user, session, sdkConfig, notes, noteError }) {
  const items = notes.map(
    note => html`
<li><span class="text">${note.text}</span> <time datetime="${new Date(note.createdAt).toISOString()}">${formatTime(note.createdAt)}</time></li>`,
  )
  return signedInPage({
    title: 'Notes',
    user,
    session,
    sdkConfig,
    main: html`<h1>Your notes</h1>
${
  notes.length === 0
    ? html`<p id="no-notes">No notes yet.</p>`
    : html`<ul id="notes">${items}
</ul>`
}
${noteError && html`<p class="message error" role="alert" id="note-error">A note must be 1 to 500 characters (and at most 500 notes).</p>`}
<form method="post" action="/classic/notes" id="add-note" class="stack">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<label for="note-text">New note</label>
<input id="note-text" name="text" required maxlength="500">
<button type="submit">Add note</button>
</form>`,
  })
}

/**
 * A second signed-in page, to try several pages and tabs.
 * @param {{ user: { name: string }, session: { csrfToken: string }, sdkConfig: Html }} view
 */
export function otherPage({ user, session, sdkConfig }) {
  return signedInPage({
    title: 'Another page',
    user,
    session,
    sdkConfig,
    main: html`<h1>Another page</h1>
<p>This page is signed in too. Open pages in several tabs: the idle warning, "Stay signed in" and signing out reach every tab.</p>
<p><a href="/classic/">Back to your notes</a></p>`,
  })
}

/**
 * The page of a refused form (403: missing or wrong CSRF token).
 * @param {{ retryUrl: string, retryLabel: string }} view retryUrl: a fixed same-site path
 */
export function refusedPage({ retryUrl, retryLabel }) {
  return layout({
    title: 'Request refused',
    main: html`<h1>Request refused</h1>
<p class="message error" role="alert" id="refused">This form was missing its security token, the token did not match, or it has expired. Nothing was changed.</p>
<p><a href="${retryUrl}">${retryLabel}</a></p>`,
  })
}
