import { parseDuration } from './duration.js'
import type { AuthConfig } from './shared/auth-options.js'
import type { DebugEntry } from './shared/debug.js'
import { isSessionVaultError, SessionVaultError } from './shared/errors.js'
import { normalizeOrigin, originOf } from './shared/origin.js'
import {
  boolean,
  fail,
  func,
  Invalid,
  object,
  oneOf,
  optional,
  type Rule,
  refine,
  required,
  string,
  union,
} from './shared/schema.js'
import type { ClearOptions, DialogTexts, SessionOptions } from './types.js'

const DEFAULT_ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']
const ACTIVITY_EVENTS = [
  ...DEFAULT_ACTIVITY_EVENTS,
  ...['pointerup', 'mousedown', 'mousemove', 'mouseup', 'click', 'keyup', 'input', 'touchmove', 'touchend'],
]
const DEFAULT_ANNOUNCE_EVERY_MS = 15_000
const MAX_CHANNEL_LENGTH = 200

export interface NormalizedIdle {
  timeout: number
  warnBefore: number
  absoluteTimeout?: number
  keepaliveInterval: number
  events: string[]
  frames: boolean
}

export interface NormalizedDialog {
  /** Undefined: the document's `lang` when the dialog loads. */
  locale?: string
  texts: DialogTexts
  container?: HTMLElement
  announceEvery: number
}

export interface NormalizedOptions {
  workerUrl: string
  trustedOrigins: string[]
  auth: AuthConfig
  idle: NormalizedIdle | false
  dialog: NormalizedDialog | false
  logout: { redirectTo?: string; clear: Required<ClearOptions> }
  channel: string
  /** Undefined: the vault's default (64 MiB). */
  maxBodyBytes?: number
  /** Milliseconds; 0: none. */
  requestTimeout: number
  monitor: NormalizedMonitor | false
  /** Where diagnostic entries go; false: nowhere (the default). */
  debug: ((entry: DebugEntry) => void) | false
}

export interface NormalizedMonitor {
  interval: number
  onFocus: boolean
}

/** Where the options are resolved: the page's URL and origin, and the default worker URL. */
export interface OptionsContext {
  base: string
  origin: string
  defaultWorkerUrl?: string
}

type OptionRule<T> = Rule<T, OptionsContext>

/** An absolute http(s) URL without fragment, resolved against the page. */
const url =
  (sameOrigin = false): OptionRule<string> =>
  (value, path, ctx) => {
    let parsed: URL | undefined
    try {
      if (typeof value === 'string' || value instanceof URL) parsed = new URL(value, ctx.base)
    } catch {
      /* reported below */
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) return fail(path, 'must be an http(s) URL')
    parsed.hash = ''
    if (sameOrigin && parsed.origin !== ctx.origin) fail(path, 'must be same-origin')
    return parsed.href
  }

const duration: Rule<number> = (value, path) => parseDuration(value, path)

/** `issuer` must be a URL but is kept exactly as given: the ID token's `iss` is compared with it verbatim. */
const issuer: OptionRule<string> = (value, path, ctx) => {
  url()(value, path, ctx)
  return value as string
}

const TOKEN = object({
  type: oneOf(['token'], 'is token'),
  loginUrl: required(url()),
  refreshUrl: optional(url()),
  logoutUrl: optional(url()),
  keepaliveUrl: optional(url()),
  statusUrl: optional(url()),
  reauthUrl: optional(url()),
})

const COOKIE = object({
  type: oneOf(['cookie'], 'is cookie'),
  sessionUrl: optional(url(true)),
  keepaliveUrl: optional(url()),
  statusUrl: optional(url()),
  reauthUrl: optional(url()),
  logoutUrl: required(url()),
  csrfHeader: optional(
    string('must be an HTTP header name', name => /^[!#$%&'*+.^_`|~\w-]+$/.test(name)),
    'X-CSRF-Token',
  ),
})

const OAUTH = refine(
  object({
    type: oneOf(['oauth'], 'is oauth'),
    issuer: optional(issuer),
    authorizationEndpoint: optional(url()),
    tokenEndpoint: optional(url()),
    revocationEndpoint: optional(url()),
    endSessionEndpoint: optional(url()),
    clientId: string('must be a non-empty string', id => id.length > 0),
    redirectUri: required(url(true)),
    postLogoutRedirectUri: optional(url()),
    scope: optional(string('must be a space-separated string'), 'openid'),
    dpop: optional(boolean, false),
    persist: optional(oneOf(['none', 'dpop'], "must be 'none' or 'dpop'"), 'none'),
  }),
  auth => {
    if (auth.persist === 'dpop' && !auth.dpop) throw new Invalid('auth.persist', "'dpop' needs auth.dpop: true")
    if (!auth.issuer && !(auth.authorizationEndpoint && auth.tokenEndpoint)) {
      throw new Invalid(
        'auth.issuer',
        'is required unless auth.authorizationEndpoint and auth.tokenEndpoint are both given',
      )
    }
    return undefined
  },
)

const AUTH = required(
  union({ token: TOKEN, cookie: COOKIE, oauth: OAUTH }, 'type', "must be 'token', 'cookie' or 'oauth'"),
)

const activityEvents: Rule<string[]> = (value, path) => {
  if (!Array.isArray(value) || !value.length) return fail(path, 'must be a non-empty array')
  for (const name of value) {
    if (!ACTIVITY_EVENTS.includes(name))
      fail(`${path}:`, `unknown event name ${JSON.stringify(String(name)).slice(0, 40)}`)
  }
  return [...new Set(value as string[])]
}

const IDLE: Rule<NormalizedIdle | false> = (value, path, ctx) => {
  if (value === undefined || value === false) return false
  const idle = object({
    timeout: refine(duration, ms => (ms > 0 ? undefined : 'must be greater than zero')),
    warnBefore: duration,
    absoluteTimeout: optional(duration),
    keepaliveInterval: optional(duration),
    events: optional(activityEvents, DEFAULT_ACTIVITY_EVENTS),
    frames: optional(boolean, false),
  })(value, path, ctx)
  const { timeout, warnBefore, absoluteTimeout } = idle
  if (warnBefore >= timeout) fail('idle.warnBefore', 'must be shorter than idle.timeout')
  if (absoluteTimeout !== undefined && absoluteTimeout < timeout) {
    fail('idle.absoluteTimeout', 'must not be shorter than idle.timeout')
  }
  const keepaliveInterval = idle.keepaliveInterval ?? Math.max(1, Math.round(timeout / 5))
  if (!keepaliveInterval || keepaliveInterval >= timeout) {
    fail('idle.keepaliveInterval', 'must be greater than zero and shorter than idle.timeout')
  }
  return { ...idle, keepaliveInterval }
}

/** A `{remaining}` template or a function of the remaining time. */
const message: Rule<string | ((remaining: string) => string)> = (value, path) =>
  typeof value === 'string' || typeof value === 'function'
    ? (value as string | ((remaining: string) => string))
    : fail(path, 'must be a "{remaining}" template or a function')

/** A BCP 47 language tag, canonicalised (`EN-us` -> `en-US`). */
const locale: Rule<string> = (value, path) => {
  try {
    if (typeof value === 'string') return Intl.getCanonicalLocales(value)[0]!
  } catch {
    /* reported below */
  }
  return fail(path, 'must be a BCP 47 language tag such as "en" or "de-AT"')
}

const TEXTS = object({
  title: optional(string()),
  idleMessage: optional(message),
  absoluteMessage: optional(message),
  stay: optional(string()),
  signOut: optional(string()),
  dismiss: optional(string()),
  formatRemaining: optional(func<(ms: number) => string>()),
})

const element: Rule<HTMLElement> = (value, path) =>
  typeof (value as { appendChild?: unknown } | null)?.appendChild === 'function'
    ? (value as HTMLElement)
    : fail(path, 'must be an element')

const DIALOG: Rule<NormalizedDialog | false> = (value, path, ctx) => {
  if (value === false) return false
  return object({
    locale: optional(locale),
    texts: optional(TEXTS, {}),
    container: optional(element),
    announceEvery: optional(
      refine(duration, ms => (ms >= 1_000 ? undefined : 'must be at least one second')),
      DEFAULT_ANNOUNCE_EVERY_MS,
    ),
  })(value === undefined || value === true ? {} : value, path, ctx)
}

/** `true`, `false` or a list of names (`all`), or only a list. */
const names =
  (all: boolean): Rule<boolean | string[]> =>
  (value, path) => {
    if (value === undefined) return all ? false : []
    if (all && typeof value === 'boolean') return value
    if (Array.isArray(value) && value.every(name => typeof name === 'string')) return [...value]
    return fail(path, all ? 'must be true, false or a list of names' : 'must be a list of database names')
  }

const CLEAR = object({
  localStorage: names(true),
  sessionStorage: names(true),
  indexedDB: names(false),
  caches: names(true),
})

/** An object rule that also accepts `undefined`, as `{}`. */
const orEmpty =
  <T, C>(rule: Rule<T, C>): Rule<T, C> =>
  (value, path, ctx) =>
    rule(value ?? {}, path, ctx)

const LOGOUT = object({
  redirectTo: optional(url(true)),
  clear: orEmpty(CLEAR) as Rule<Required<ClearOptions>>,
})

const MONITOR: Rule<NormalizedMonitor | false> = (value, path, ctx) => {
  if (value === undefined || value === false) return false
  return object({
    interval: refine(duration, ms => (ms >= 1_000 ? undefined : 'must be at least one second')),
    onFocus: optional(boolean, true),
  })(value, path, ctx)
}

const trustedOrigins: Rule<string[] | undefined> = (value, path) => {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.length) return fail(path, 'must be a non-empty array of origins')
  return [...new Set(value.map((entry, i) => normalizeOrigin(entry, `${path}[${i}]`)))]
}

const OPTIONS = object({
  workerUrl: optional((value: unknown) => value as string | URL),
  trustedOrigins,
  auth: AUTH,
  idle: IDLE,
  dialog: DIALOG,
  logout: orEmpty(LOGOUT),
  channel: optional(
    string(
      `must be a string of 1 to ${MAX_CHANNEL_LENGTH} characters`,
      name => !!name && name.length <= MAX_CHANNEL_LENGTH,
    ),
  ),
  maxBodyBytes: optional(
    refine(
      (value: unknown) => value as number,
      bytes => (Number.isSafeInteger(bytes) && bytes > 0 ? undefined : 'must be a positive whole number of bytes'),
    ),
  ),
  requestTimeout: optional(duration, 0),
  monitor: MONITOR,
  debug: optional((value: unknown, path: string) =>
    typeof value === 'boolean' || typeof value === 'function'
      ? (value as boolean | ((entry: DebugEntry) => void))
      : fail(path, 'must be true, false or a function'),
  ),
})

/**
 * `session.idle.update(changes)`: the current settings with `changes` (durations
 * as in the options), checked by the same rules. A new `timeout` without a
 * `keepaliveInterval` derives the interval again.
 * @throws SessionVaultError `ERR_BAD_OPTIONS` naming the field
 */
export function updatedIdle(current: NormalizedIdle, changes: unknown): NormalizedIdle {
  try {
    if (typeof changes !== 'object' || changes === null) fail('idle.update', 'needs an object')
    const given = changes as Record<string, unknown>
    for (const key of Object.keys(given)) {
      if (!['timeout', 'warnBefore', 'absoluteTimeout', 'keepaliveInterval'].includes(key))
        fail(`idle.${key.slice(0, 40)}`, 'cannot be changed by update')
    }
    const merged = {
      ...current,
      ...(given.timeout !== undefined && given.keepaliveInterval === undefined && { keepaliveInterval: undefined }),
      ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
    }
    const next = IDLE(merged, 'idle', { base: '', origin: '' })
    if (!next) return fail('idle', 'is required')
    return next
  } catch (error) {
    if (error instanceof Invalid) throw new SessionVaultError('ERR_BAD_OPTIONS', error.message)
    throw error
  }
}

/** `debug: true`: each entry on the console (`console.debug`), prefixed `[session-vault]`. */
const consoleDebug = (entry: DebugEntry): void =>
  console.debug(`[session-vault] ${entry.thread} ${entry.event}`, entry.data)

/**
 * Validates and normalises {@link SessionOptions} against one declarative
 * schema. Every URL becomes absolute, every duration milliseconds.
 * @throws SessionVaultError `ERR_BAD_OPTIONS` naming the offending field.
 */
export function normalizeOptions(options: SessionOptions, ctx: OptionsContext): NormalizedOptions {
  try {
    const given = OPTIONS(options, '', ctx)
    const origins = given.trustedOrigins ?? [ctx.origin]
    const { auth } = given
    if (auth.type !== 'oauth') {
      for (const [key, value] of Object.entries(auth)) {
        if (key.endsWith('Url') && typeof value === 'string' && !origins.includes(originOf(value)!)) {
          fail(`auth.${key}`, 'must be on one of the trustedOrigins')
        }
      }
    }
    if (given.monitor && !(auth.type !== 'oauth' && auth.statusUrl)) {
      fail('monitor', auth.type === 'oauth' ? "is not available with auth.type 'oauth'" : 'needs auth.statusUrl')
    }
    const workerUrl = given.workerUrl ?? ctx.defaultWorkerUrl
    if (workerUrl === undefined) fail('workerUrl', 'is required when the SDK cannot tell where vault.worker.js is')
    return {
      workerUrl: url(true)(workerUrl, 'workerUrl', ctx),
      trustedOrigins: origins,
      auth,
      idle: given.idle,
      dialog: given.dialog,
      logout: given.logout,
      channel: given.channel ?? `session-vault:${ctx.origin}${auth.type === 'oauth' ? `:${auth.clientId}` : ''}`,
      maxBodyBytes: given.maxBodyBytes,
      requestTimeout: given.requestTimeout,
      monitor: given.monitor,
      debug: given.debug === true ? consoleDebug : (given.debug ?? false),
    }
  } catch (error) {
    if (error instanceof Invalid) throw new SessionVaultError('ERR_BAD_OPTIONS', error.message)
    if (isSessionVaultError(error)) throw error
    throw new SessionVaultError('ERR_BAD_OPTIONS', 'The options could not be read', { cause: error })
  }
}
