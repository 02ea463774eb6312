// The globals the e2e pages put on `window`, typed once for every `page.evaluate`,
// `waitForFunction` and WebDriver `run` callback (instead of `(window as any)`):
// - the harness page (e2e/support/page.js): SessionVault, start, attempt, session, events, violations, harnessReady;
// - the shared scenario steps (e2e/support/scenarios.js): svScenarios;
// - the hunter's taps (e2e/support/hunt-taps.js): __svTaps;
// - the back-button app (e2e/sdk/back-button/app.js): appReady, pageshows;
// - the script-tag build on the classic pages: SessionVault.current;
// - scratch values specs leave in a page between two evaluate calls (marked "spec scratch").
// The session is described by what the specs use of it, not by the SDK's own types, so a
// spec can still hand it what the public types would refuse (that is what some tests check).

/** An error as plain data (`attempt`, `start`). */
export interface ErrorData {
  name: string
  code: string
  message: string
}

/** What `attempt(fn)` resolves: the value, or the error as data. */
export interface AttemptResult<T = unknown> {
  ok: boolean
  value?: T
  error?: ErrorData
}

/** One event the harness recorded: `at` is Date.now() when it was emitted. */
export interface SessionEventRecord {
  name: string
  payload: Record<string, unknown>
  at: number
}

/** What `session.info` tells the page (never a token). */
export interface Info {
  authenticated: boolean
  expiresAt?: number
  idleDeadline?: number
  absoluteDeadline?: number
  claims?: Record<string, unknown>
  [key: string]: unknown
}

/** A session as the pages hold it (createSession's result). */
export interface PageSession {
  readonly state: string
  readonly info: Info
  readonly ready: Promise<void>
  login(credentials: unknown): Promise<void>
  reauthenticate(credentials: unknown): Promise<void>
  readonly idle: {
    readonly phase: string
    readonly remainingMs: number | undefined
    pause(): void
    resume(): void
    update(settings: Record<string, unknown>): void
  }
  loginWithRedirect(params?: Record<string, string>): Promise<void>
  handleRedirectCallback(url?: string): Promise<unknown>
  fetch(input: RequestInfo | URL, init?: RequestInit & { duplex?: 'half' }): Promise<Response>
  extend(): void
  logout(options?: Record<string, unknown>): Promise<void>
  on(event: string, handler: (payload: Record<string, unknown>) => void): () => void
  destroy(): void
}

/** The SDK's module namespace (harness page) or its IIFE global (script tag). */
export interface SessionVaultGlobal {
  createSession(options: unknown): PageSession
  /** Script tag only: the session auto-init started, if any. */
  current?: PageSession
  [name: string]: unknown
}

/** What the page's session-vault/sse feed (`sseStart`) got: each event's id, type and number, and how it ended. */
export interface SseView {
  events: { id: string; type: string; n: number }[]
  opens: number
  errors: { name?: string; code?: string; message?: string }[]
  settled: null | { resolved: true } | { error: { name?: string; code?: string; message?: string } }
}

type Step<A extends unknown[] = unknown[], R = unknown> = (...args: A) => Promise<R>

/** The shared page-side steps (e2e/support/scenarios.js); every session argument defaults to `window.session`. */
export interface Scenarios {
  bodyTypes: Step
  streamBody: Step
  statuses: Step<[codes: number[]]>
  redirectModes: Step<[url: string]>
  abortedBeforeSend: Step
  startAbortable(url: string): void
  openStream(url: string): Promise<{ status: number }>
  readChunk(): Promise<{ done?: true; text?: string; error?: { name: string; code?: string } }>
  readRest(): Promise<{ texts: string[]; done?: true; error?: { name: string; code?: string } }>
  abortStream(): void
  cancelStream(): Promise<void>
  sseStart(url: string, options?: { retry?: number; lastEventId?: string }): Promise<{ started: true }>
  sseView(): SseView
  sseAbort(): void
  digestOf(url: string, direct?: boolean): Promise<{ length: number; sha256: string }>
  abortPending: Step<[], string>
  concurrentFetches: Step<[url: string, n: number], (number | string)[]>
  browserStorage: Step
  seedAppStorage: Step<[prefix?: string, path?: string], void>
  storeEntries: Step<[database: string, storeName: string], { key: string; value: unknown }[] | null>
  readIndexedDB: Step
  dialogSnapshot(): unknown
  setDocumentLang: Step<[lang: string], string>
  editorFrame: Step<[name?: string], string>
  loadedFiles: Step<[pattern: string], string[]>
  leakEverywhere: Step<[token: string], void>
  wipeOrigin: Step
  platform(): unknown
  [step: string]: (...args: never[]) => unknown
}

declare global {
  interface Window {
    SessionVault: SessionVaultGlobal
    session: PageSession
    start(options: unknown): Promise<{ state: string; error?: ErrorData }>
    attempt<T>(fn: () => T | Promise<T>): Promise<AttemptResult<Awaited<T>>>
    events: SessionEventRecord[]
    violations: { directive: string; blocked: string }[]
    harnessReady?: boolean
    svScenarios: Scenarios
    __svTaps?: () => unknown
    appReady?: boolean
    pageshows?: { persisted: boolean; at: number }[]
    /** e2e/classic/support.ts recordPages: the Node binding every tab reports to. */
    __classicRecord(record: Record<string, unknown>): Promise<void>
    // spec scratch
    heard: number
    hellos: string[]
    logoutDone?: Promise<string>
    sameDocument?: boolean
    marker?: string
    shown?: { persisted: boolean }
    redirecting?: Promise<unknown>
    __violations?: unknown[]
    /** Trusted Types, where the engine has them (not yet in lib.dom). */
    trustedTypes?: {
      /** `createScriptURL` makes a TrustedScriptURL, which `new Worker()` takes where a string would be refused. */
      createPolicy(
        name: string,
        rules: { createScriptURL(url: string): string },
      ): { createScriptURL(url: string): string }
    }
    [scratch: `__leak${string}`]: unknown
  }
}
