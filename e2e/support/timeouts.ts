// Every timeout and wait of the e2e suites that is not a test's own idle or token
// lifetime, named once (Playwright specs, the WebKit WebDriver suite, playwright.config.ts).
// Real time throughout: Playwright's page.clock reaches neither the vault worker's timers nor its Date.

/** One Playwright test, prologue included (the idle tests wait out real deadlines). */
export const TEST_TIMEOUT_MS = 60_000
/** The reference server (demo/server/main.mjs) answering its first request. */
export const SERVER_START_MS = 20_000

/** The SDK's LOGOUT_TIMEOUT_MS: a logout call the server does not answer is given up after it. */
export const SDK_LOGOUT_TIMEOUT_MS = 5_000
/** The SDK's vault start timeout: a vault that never says ready ends the session after it. */
export const SDK_VAULT_START_MS = 10_000
/** The SDK's watchdog: a ping every 5 s, 5 s to answer, so a silent vault is found within this. */
export const SDK_WATCHDOG_MS = 15_000

/** A page reaching a state, a navigation or an event the SDK triggers at once (generous for a busy CI machine). */
export const PROMPT_MS = 5_000
/** A form sign-in landing on its page: the server's password hash (scrypt) is slow on a busy CI machine. */
export const FORM_SIGN_IN_MS = 10_000
/** A cross-tab logout: every tab hears it and ends (waited generously; latency is asserted separately). */
export const CROSS_TAB_MS = 8_000

/** After the thing under test: how long a wrong late second call (a logout, a report, a message) gets to show up. */
export const STRAGGLER_MS = 300
/** After a page load: how long a deferred script gets to run and report (console errors, rejected promises). */
export const SETTLE_MS = 200
