// The Playwright fixtures every spec starts from (import { expect, test } from here,
// not from @playwright/test):
// - `server`: the reference server's test state, reset before every test (auto), with
//   the lifetimes of the `lifetimes` option (`test.use({ lifetimes: { idleTimeout: 60 } })`);
// - `signedIn`: the harness page (token mode) signed in as alice, session created with the
//   `sessionOptions` option (token auth and `dialog: false` added);
// - `classicRecords` and `classicSignedIn`: the /classic/ pages' recorder and a tab signed
//   in through the login form;
// - `spaSignedIn`: the demo SPA at `/` signed in through its form.
// A test that needs more tabs or other options calls the same one sign-in helper of its
// mode: signIn (support/harness.ts), signInClassic (classic/support.ts), signInToSpa
// (support/spa.ts), signInWithProvider (oauth/support.ts).
import { test as base, type Page } from '@playwright/test'
import { type Recorded, recordPages, signInClassic } from '../classic/support.js'
import { signIn } from './harness.js'
import { type Lifetimes, TestServer } from './server.js'
import { signInToSpa } from './spa.js'

export { expect } from '@playwright/test'

export interface Options {
  /** Server lifetimes (seconds) of the `/test/reset` before the test; `{}` is the start-up defaults. */
  lifetimes: Lifetimes
  /** createSession options of `signedIn` (token auth and `dialog: false` unless given). */
  sessionOptions: Record<string, unknown>
}

export interface Fixtures {
  server: TestServer
  signedIn: Page
  classicRecords: Recorded[]
  classicSignedIn: Page
  spaSignedIn: Page
}

export const test = base.extend<Options & Fixtures>({
  lifetimes: [{}, { option: true }],
  sessionOptions: [{}, { option: true }],
  server: [
    async ({ request, lifetimes }, use) => {
      const server = new TestServer(request)
      await server.reset(lifetimes)
      await use(server)
    },
    { auto: true },
  ],
  signedIn: async ({ page, sessionOptions }, use) => {
    await signIn(page, sessionOptions)
    await use(page)
  },
  classicRecords: async ({ context }, use) => {
    await use(await recordPages(context))
  },
  // Depends on classicRecords: the recorder is in place before the first classic page loads.
  classicSignedIn: async ({ page, classicRecords }, use) => {
    void classicRecords
    await signInClassic(page)
    await use(page)
  },
  spaSignedIn: async ({ page }, use) => {
    await signInToSpa(page)
    await use(page)
  },
})
