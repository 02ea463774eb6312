import { parseDuration } from './duration.js'
import { SessionVaultError } from './errors.js'
import { normalizeOrigin, originOf } from './origin.js'
import type { AuthConfig } from './protocol.js'
import type { ClearOptions, DialogTexts, SessionOptions } from './types.js'

const DEFAULT_ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']
const ACTIVITY_EVENTS = [
  ...DEFAULT_ACTIVITY_EVENTS,
  'pointerup', 'mousedown', 'mousemove', 'mouseup', 'click', 'keyup', 'input', 'touchmove', 'touchend',
]

/** Option keys per auth type. Keys ending in Url, Uri or Endpoint (and `issuer`) are URLs. */
const AUTH_KEYS: Record<string, string[]> = {
  token: ['loginUrl', 'refreshUrl', 'logoutUrl', 'keepaliveUrl'],
  cookie: ['sessionUrl', 'keepaliveUrl', 'logoutUrl', 'csrfHeader'],
  oauth: [
    'issuer', 'authorizationEndpoint', 'tokenEndpoint', 'revocationEndpoint', 'endSessionEndpoint',
    'clientId', 'redirectUri', 'postLogoutRedirectUri', 'scope', 'dpop', 'persist',
  ],
}
const CLEAR_KEYS = ['localStorage', 'sessionStorage', 'indexedDB', 'caches']
const REQUIRED_URLS = ['loginUrl', 'cookie.logoutUrl', 'redirectUri']
const SAME_ORIGIN_URLS = ['sessionUrl', 'redirectUri']

export interface NormalizedIdle {
  timeout: number
  warnBefore: number
  absoluteTimeout?: number
  keepaliveInterval: number
  events: string[]
}

export interface NormalizedDialog {
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
}

/** Where the options are resolved: the page's URL and origin, and the default worker URL. */
export interface OptionsContext {
  base: string
  origin: string
  defaultWorkerUrl?: string
}

type Fields = Record<string, unknown>

const bad = (field: string, problem: string) => new SessionVaultError('ERR_BAD_OPTIONS', `${field} ${problem}`)

/** `value` as an object whose keys are all in `known`. */
function fields(value: unknown, field: string, known: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(field, 'must be an object')
  for (const key of Object.keys(value)) if (!known.includes(key)) throw bad(`${field}.${key}`.replace(/^options\./, ''), 'is not a known option')
  return value as Fields
}

/** An absolute http(s) URL without fragment, resolved against the page. */
function url(value: unknown, field: string, ctx: OptionsContext, sameOrigin = false): string {
  let parsed: URL | undefined
  try {
    if (typeof value === 'string' || value instanceof URL) parsed = new URL(value, ctx.base)
  } catch {
    /* reported below */
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) throw bad(field, 'must be an http(s) URL')
  parsed.hash = ''
  if (sameOrigin && parsed.origin !== ctx.origin) throw bad(field, 'must be same-origin')
  return parsed.href
}

const duration = (value: unknown, field: string, fallback: number) => (value === undefined ? fallback : parseDuration(value, field))

function normalizeAuth(value: unknown, ctx: OptionsContext): AuthConfig {
  if (value === undefined) throw bad('auth', 'is required')
  const type = (value as Fields | null)?.type as string
  const keys = AUTH_KEYS[type]
  if (!keys) throw bad('auth.type', "must be 'token', 'cookie' or 'oauth'")
  const given = fields(value, 'auth', ['type', ...keys])
  const auth: Fields = { type }
  for (const key of keys) {
    const field = `auth.${key}`
    if (!/(Url|Uri|Endpoint|^issuer)$/.test(key)) auth[key] = given[key]
    else if (given[key] !== undefined) auth[key] = url(given[key], field, ctx, SAME_ORIGIN_URLS.includes(key))
    else if (REQUIRED_URLS.includes(key) || REQUIRED_URLS.includes(`${type}.${key}`)) throw bad(field, 'is required')
  }
  if (type === 'cookie') {
    auth.csrfHeader ??= 'X-CSRF-Token'
    if (typeof auth.csrfHeader !== 'string' || !/^[!#$%&'*+.^_`|~\w-]+$/.test(auth.csrfHeader)) {
      throw bad('auth.csrfHeader', 'must be an HTTP header name')
    }
  }
  if (type === 'oauth') {
    if (typeof auth.clientId !== 'string' || !auth.clientId) throw bad('auth.clientId', 'must be a non-empty string')
    auth.scope ??= 'openid'
    if (typeof auth.scope !== 'string') throw bad('auth.scope', 'must be a space-separated string')
    auth.dpop ??= false
    if (typeof auth.dpop !== 'boolean') throw bad('auth.dpop', 'must be a boolean')
    auth.persist ??= 'none'
    if (auth.persist !== 'none' && auth.persist !== 'dpop') {
      throw bad('auth.persist', "must be 'none' or 'dpop'")
    }
    if (auth.persist === 'dpop' && !auth.dpop) throw bad('auth.persist', "'dpop' needs auth.dpop: true")
    if (!auth.issuer && !(auth.authorizationEndpoint && auth.tokenEndpoint)) {
      throw bad('auth.issuer', 'is required unless auth.authorizationEndpoint and auth.tokenEndpoint are both given')
    }
    if (auth.issuer) auth.issuer = given.issuer
  }
  return auth as unknown as AuthConfig
}

function normalizeIdle(value: unknown): NormalizedIdle | false {
  if (value === undefined || value === false) return false
  const idle = fields(value, 'idle', ['timeout', 'warnBefore', 'absoluteTimeout', 'keepaliveInterval', 'events'])
  const timeout = parseDuration(idle.timeout, 'idle.timeout')
  const warnBefore = parseDuration(idle.warnBefore, 'idle.warnBefore')
  if (!timeout) throw bad('idle.timeout', 'must be greater than zero')
  if (warnBefore >= timeout) throw bad('idle.warnBefore', 'must be shorter than idle.timeout')
  const absoluteTimeout = duration(idle.absoluteTimeout, 'idle.absoluteTimeout', Infinity)
  if (absoluteTimeout < timeout) throw bad('idle.absoluteTimeout', 'must not be shorter than idle.timeout')
  const keepaliveInterval = duration(idle.keepaliveInterval, 'idle.keepaliveInterval', Math.max(1, Math.round(timeout / 5)))
  if (!keepaliveInterval || keepaliveInterval >= timeout) {
    throw bad('idle.keepaliveInterval', 'must be greater than zero and shorter than idle.timeout')
  }
  const events = (idle.events ?? DEFAULT_ACTIVITY_EVENTS) as unknown[]
  if (!Array.isArray(events) || !events.length) throw bad('idle.events', 'must be a non-empty array')
  for (const name of events) {
    if (!ACTIVITY_EVENTS.includes(name as string)) throw bad('idle.events:', `unknown event name ${JSON.stringify(String(name)).slice(0, 40)}`)
  }
  return {
    timeout,
    warnBefore,
    absoluteTimeout: absoluteTimeout === Infinity ? undefined : absoluteTimeout,
    keepaliveInterval,
    events: [...new Set(events as string[])],
  }
}

function normalizeDialog(value: unknown): NormalizedDialog | false {
  if (value === false) return false
  const dialog = value === undefined || value === true ? {} : fields(value, 'dialog', ['texts', 'container', 'announceEvery'])
  const texts = fields(dialog.texts ?? {}, 'dialog.texts', [
    'title', 'idleMessage', 'absoluteMessage', 'stay', 'signOut', 'dismiss', 'formatRemaining',
  ])
  for (const [key, text] of Object.entries(texts)) {
    const kind = /Message|format/.test(key) ? 'function' : 'string'
    if (typeof text !== kind) throw bad(`dialog.texts.${key}`, `must be a ${kind}`)
  }
  const { container } = dialog as { container?: { appendChild?: unknown } }
  if (container !== undefined && typeof container?.appendChild !== 'function') throw bad('dialog.container', 'must be an element')
  const announceEvery = duration(dialog.announceEvery, 'dialog.announceEvery', 15_000)
  if (announceEvery < 1_000) throw bad('dialog.announceEvery', 'must be at least one second')
  return { texts: texts as DialogTexts, container: container as HTMLElement | undefined, announceEvery }
}

function names(value: unknown, field: string, all = true): boolean | string[] {
  if (value === undefined) return all ? false : []
  if ((all && typeof value === 'boolean') || (Array.isArray(value) && value.every((name) => typeof name === 'string'))) {
    return Array.isArray(value) ? [...value] : (value as boolean)
  }
  throw bad(field, all ? 'must be true, false or a list of names' : 'must be a list of database names')
}

function normalizeLogout(value: unknown, ctx: OptionsContext): NormalizedOptions['logout'] {
  const logout = fields(value ?? {}, 'logout', ['redirectTo', 'clear'])
  const clear = fields(logout.clear ?? {}, 'logout.clear', CLEAR_KEYS)
  return {
    redirectTo: logout.redirectTo === undefined ? undefined : url(logout.redirectTo, 'logout.redirectTo', ctx, true),
    clear: Object.fromEntries(
      CLEAR_KEYS.map((key) => [key, names(clear[key], `logout.clear.${key}`, key !== 'indexedDB')]),
    ) as Required<ClearOptions>,
  }
}

/**
 * Validates and normalises {@link SessionOptions}. Every URL becomes absolute,
 * every duration milliseconds.
 * @throws SessionVaultError `ERR_BAD_OPTIONS` naming the offending field.
 */
export function normalizeOptions(options: SessionOptions, ctx: OptionsContext): NormalizedOptions {
  const given = fields(options, 'options', [
    'workerUrl', 'trustedOrigins', 'auth', 'idle', 'dialog', 'logout', 'channel', 'maxBodyBytes', 'requestTimeout',
  ])
  const trusted = given.trustedOrigins ?? [ctx.origin]
  if (!Array.isArray(trusted) || !trusted.length) throw bad('trustedOrigins', 'must be a non-empty array of origins')
  const trustedOrigins = [...new Set(trusted.map((entry, i) => normalizeOrigin(entry, `trustedOrigins[${i}]`)))]

  const auth = normalizeAuth(given.auth, ctx)
  if (auth.type !== 'oauth') {
    for (const [key, value] of Object.entries(auth)) {
      if (key.endsWith('Url') && value && !trustedOrigins.includes(originOf(value)!)) {
        throw bad(`auth.${key}`, 'must be on one of the trustedOrigins')
      }
    }
  }

  const workerUrl = given.workerUrl ?? ctx.defaultWorkerUrl
  if (workerUrl === undefined) throw bad('workerUrl', 'is required when the SDK cannot tell where vault.worker.js is')

  const channel = given.channel ?? `session-vault:${ctx.origin}${auth.type === 'oauth' ? `:${auth.clientId}` : ''}`
  if (typeof channel !== 'string' || !channel || channel.length > 200) {
    throw bad('channel', 'must be a string of 1 to 200 characters')
  }
  const maxBodyBytes = given.maxBodyBytes as number | undefined
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0)) {
    throw bad('maxBodyBytes', 'must be a positive whole number of bytes')
  }

  return {
    workerUrl: url(workerUrl, 'workerUrl', ctx, true),
    trustedOrigins,
    auth,
    idle: normalizeIdle(given.idle),
    dialog: normalizeDialog(given.dialog),
    logout: normalizeLogout(given.logout, ctx),
    channel,
    maxBodyBytes,
    requestTimeout: duration(given.requestTimeout, 'requestTimeout', 0),
  }
}
