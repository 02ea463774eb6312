import { parseDuration } from './duration.js'
import { SessionVaultError } from './errors.js'
import { normalizeOrigin, originOf } from './origin.js'
import type { AuthConfig } from './protocol.js'
import type { ClearOptions, DialogTexts, SessionOptions } from './types.js'

export const DEFAULT_ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll']
const KNOWN_ACTIVITY_EVENTS = new Set([
  ...DEFAULT_ACTIVITY_EVENTS,
  'pointerup', 'mousedown', 'mousemove', 'mouseup', 'click', 'keyup', 'input', 'touchmove', 'touchend',
])
const TOP_LEVEL = new Set(['workerUrl', 'trustedOrigins', 'auth', 'idle', 'dialog', 'logout', 'channel'])

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
}

/** Where the options are resolved: the page's URL and origin, and the default worker URL. */
export interface OptionsContext {
  base: string
  origin: string
  defaultWorkerUrl?: string
}

const bad = (message: string) => new SessionVaultError('ERR_BAD_OPTIONS', message)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw bad(`${field}.${key} is not a known option`)
  }
}

function resolveUrl(value: unknown, field: string, base: string): string {
  if (typeof value !== 'string' && !(value instanceof URL)) throw bad(`${field} must be a URL string`)
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    throw bad(`${field} is not a valid URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(`${field} must be an http(s) URL`)
  url.hash = ''
  return url.href
}

function optionalUrl(value: unknown, field: string, base: string): string | undefined {
  return value === undefined ? undefined : resolveUrl(value, field, base)
}

function normalizeAuth(value: unknown, ctx: OptionsContext): AuthConfig {
  if (!isRecord(value)) throw bad(`auth is required: { type: 'token' | 'cookie', ... }`)
  if (value.type === 'token') {
    checkKeys(value, ['type', 'loginUrl', 'refreshUrl', 'logoutUrl', 'keepaliveUrl'], 'auth')
    return {
      type: 'token',
      loginUrl: resolveUrl(value.loginUrl, 'auth.loginUrl', ctx.base),
      refreshUrl: optionalUrl(value.refreshUrl, 'auth.refreshUrl', ctx.base),
      logoutUrl: optionalUrl(value.logoutUrl, 'auth.logoutUrl', ctx.base),
      keepaliveUrl: optionalUrl(value.keepaliveUrl, 'auth.keepaliveUrl', ctx.base),
    }
  }
  if (value.type === 'cookie') {
    checkKeys(value, ['type', 'sessionUrl', 'keepaliveUrl', 'logoutUrl', 'csrfHeader'], 'auth')
    const sessionUrl = optionalUrl(value.sessionUrl, 'auth.sessionUrl', ctx.base)
    if (sessionUrl !== undefined && originOf(sessionUrl) !== ctx.origin) throw bad('auth.sessionUrl must be same-origin')
    const csrfHeader = value.csrfHeader ?? 'X-CSRF-Token'
    if (typeof csrfHeader !== 'string' || !/^[!#$%&'*+.^_`|~\w-]+$/.test(csrfHeader)) {
      throw bad('auth.csrfHeader must be an HTTP header name')
    }
    return {
      type: 'cookie',
      sessionUrl,
      keepaliveUrl: optionalUrl(value.keepaliveUrl, 'auth.keepaliveUrl', ctx.base),
      logoutUrl: resolveUrl(value.logoutUrl, 'auth.logoutUrl', ctx.base),
      csrfHeader,
    }
  }
  if (value.type === 'oauth') return normalizeOAuth(value, ctx)
  throw bad(`auth.type must be 'token', 'cookie' or 'oauth'`)
}

function normalizeOAuth(value: Record<string, unknown>, ctx: OptionsContext): AuthConfig {
  checkKeys(value, [
    'type', 'issuer', 'authorizationEndpoint', 'tokenEndpoint', 'revocationEndpoint', 'endSessionEndpoint',
    'clientId', 'redirectUri', 'postLogoutRedirectUri', 'scope', 'dpop', 'persist',
  ], 'auth')
  if (typeof value.clientId !== 'string' || value.clientId === '') throw bad('auth.clientId must be a non-empty string')
  if (value.scope !== undefined && typeof value.scope !== 'string') throw bad('auth.scope must be a space-separated string')
  if (value.dpop !== undefined && typeof value.dpop !== 'boolean') throw bad('auth.dpop must be a boolean')
  const dpop = value.dpop === true
  const persist = value.persist ?? 'none'
  if (persist !== 'none' && persist !== 'dpop') throw bad("auth.persist must be 'none' or 'dpop' (tokens are never stored unless DPoP-bound)")
  if (persist === 'dpop' && !dpop) throw bad("auth.persist 'dpop' needs auth.dpop: true")
  const issuer = optionalUrl(value.issuer, 'auth.issuer', ctx.base)
  const authorizationEndpoint = optionalUrl(value.authorizationEndpoint, 'auth.authorizationEndpoint', ctx.base)
  const tokenEndpoint = optionalUrl(value.tokenEndpoint, 'auth.tokenEndpoint', ctx.base)
  if (!issuer && (!authorizationEndpoint || !tokenEndpoint)) {
    throw bad('auth.issuer is required unless auth.authorizationEndpoint and auth.tokenEndpoint are both given')
  }
  const redirectUri = resolveUrl(value.redirectUri, 'auth.redirectUri', ctx.base)
  if (originOf(redirectUri) !== ctx.origin) throw bad('auth.redirectUri must be same-origin')
  const postLogoutRedirectUri = optionalUrl(value.postLogoutRedirectUri, 'auth.postLogoutRedirectUri', ctx.base)
  return {
    type: 'oauth',
    issuer: issuer === undefined ? undefined : (value.issuer as string),
    authorizationEndpoint,
    tokenEndpoint,
    revocationEndpoint: optionalUrl(value.revocationEndpoint, 'auth.revocationEndpoint', ctx.base),
    endSessionEndpoint: optionalUrl(value.endSessionEndpoint, 'auth.endSessionEndpoint', ctx.base),
    clientId: value.clientId,
    redirectUri,
    postLogoutRedirectUri,
    scope: (value.scope as string | undefined) ?? 'openid',
    dpop,
    persist,
  }
}

function normalizeIdle(value: unknown): NormalizedIdle | false {
  if (value === undefined || value === false) return false
  if (!isRecord(value)) throw bad('idle must be false or { timeout, warnBefore, ... }')
  checkKeys(value, ['timeout', 'warnBefore', 'absoluteTimeout', 'keepaliveInterval', 'events'], 'idle')
  const timeout = parseDuration(value.timeout, 'idle.timeout')
  const warnBefore = parseDuration(value.warnBefore, 'idle.warnBefore')
  if (timeout === 0) throw bad('idle.timeout must be greater than zero')
  if (warnBefore >= timeout) throw bad('idle.warnBefore must be shorter than idle.timeout')
  const absoluteTimeout =
    value.absoluteTimeout === undefined ? undefined : parseDuration(value.absoluteTimeout, 'idle.absoluteTimeout')
  if (absoluteTimeout !== undefined && absoluteTimeout < timeout) {
    throw bad('idle.absoluteTimeout must not be shorter than idle.timeout')
  }
  const keepaliveInterval =
    value.keepaliveInterval === undefined
      ? Math.max(1, Math.round(timeout / 5))
      : parseDuration(value.keepaliveInterval, 'idle.keepaliveInterval')
  if (keepaliveInterval === 0 || keepaliveInterval >= timeout) {
    throw bad('idle.keepaliveInterval must be greater than zero and shorter than idle.timeout')
  }
  let events = DEFAULT_ACTIVITY_EVENTS
  if (value.events !== undefined) {
    if (!Array.isArray(value.events) || value.events.length === 0) throw bad('idle.events must be a non-empty array')
    for (const name of value.events) {
      if (typeof name !== 'string' || !KNOWN_ACTIVITY_EVENTS.has(name)) {
        throw bad(`idle.events: unknown event name ${JSON.stringify(String(name)).slice(0, 40)}`)
      }
    }
    events = [...new Set(value.events as string[])]
  }
  return { timeout, warnBefore, absoluteTimeout, keepaliveInterval, events }
}

function normalizeDialog(value: unknown): NormalizedDialog | false {
  if (value === false) return false
  if (value === undefined || value === true) return { texts: {}, announceEvery: 15_000 }
  if (!isRecord(value)) throw bad('dialog must be a boolean or { texts, container, announceEvery }')
  checkKeys(value, ['texts', 'container', 'announceEvery'], 'dialog')
  if (value.texts !== undefined && !isRecord(value.texts)) throw bad('dialog.texts must be an object')
  const texts = (value.texts ?? {}) as Record<string, unknown>
  checkKeys(texts, ['title', 'idleMessage', 'absoluteMessage', 'stay', 'signOut', 'dismiss', 'formatRemaining'], 'dialog.texts')
  for (const key of ['title', 'stay', 'signOut', 'dismiss']) {
    if (texts[key] !== undefined && typeof texts[key] !== 'string') throw bad(`dialog.texts.${key} must be a string`)
  }
  for (const key of ['idleMessage', 'absoluteMessage', 'formatRemaining']) {
    if (texts[key] !== undefined && typeof texts[key] !== 'function') throw bad(`dialog.texts.${key} must be a function`)
  }
  const container = value.container
  if (container !== undefined && (typeof container !== 'object' || container === null || !('appendChild' in container))) {
    throw bad('dialog.container must be an element')
  }
  const announceEvery = value.announceEvery === undefined ? 15_000 : parseDuration(value.announceEvery, 'dialog.announceEvery')
  if (announceEvery < 1_000) throw bad('dialog.announceEvery must be at least one second')
  return { texts: texts as DialogTexts, container: container as HTMLElement | undefined, announceEvery }
}

function keyList(value: unknown, field: string): boolean | string[] {
  if (value === undefined) return false
  if (typeof value === 'boolean') return value
  if (Array.isArray(value) && value.every((key) => typeof key === 'string')) return [...value]
  throw bad(`${field} must be true, false or a list of names`)
}

function normalizeLogout(value: unknown, ctx: OptionsContext): NormalizedOptions['logout'] {
  if (value === undefined) value = {}
  if (!isRecord(value)) throw bad('logout must be an object')
  checkKeys(value, ['redirectTo', 'clear'], 'logout')
  const redirectTo = optionalUrl(value.redirectTo, 'logout.redirectTo', ctx.base)
  if (redirectTo !== undefined && originOf(redirectTo) !== ctx.origin) throw bad('logout.redirectTo must be same-origin')
  const clear = value.clear ?? {}
  if (!isRecord(clear)) throw bad('logout.clear must be an object')
  checkKeys(clear, ['localStorage', 'sessionStorage', 'indexedDB', 'caches'], 'logout.clear')
  const indexedDB = clear.indexedDB ?? []
  if (!Array.isArray(indexedDB) || !indexedDB.every((name) => typeof name === 'string')) {
    throw bad('logout.clear.indexedDB must be a list of database names')
  }
  return {
    redirectTo,
    clear: {
      localStorage: keyList(clear.localStorage, 'logout.clear.localStorage'),
      sessionStorage: keyList(clear.sessionStorage, 'logout.clear.sessionStorage'),
      indexedDB: [...indexedDB] as string[],
      caches: keyList(clear.caches, 'logout.clear.caches'),
    },
  }
}

/**
 * Validates and normalises {@link SessionOptions}. Every URL becomes absolute,
 * every duration milliseconds.
 * @throws SessionVaultError `ERR_BAD_OPTIONS` naming the offending field.
 */
export function normalizeOptions(options: SessionOptions, ctx: OptionsContext): NormalizedOptions {
  if (!isRecord(options)) throw bad('options must be an object')
  for (const key of Object.keys(options)) if (!TOP_LEVEL.has(key)) throw bad(`${key} is not a known option`)

  const trusted = options.trustedOrigins ?? [ctx.origin]
  if (!Array.isArray(trusted) || trusted.length === 0) throw bad('trustedOrigins must be a non-empty array of origins')
  const trustedOrigins = [...new Set(trusted.map((entry, i) => normalizeOrigin(entry, `trustedOrigins[${i}]`)))]

  const auth = normalizeAuth(options.auth, ctx)
  for (const [key, url] of Object.entries(auth)) {
    if (auth.type !== 'oauth' && key.endsWith('Url') && typeof url === 'string' && !trustedOrigins.includes(originOf(url)!)) {
      throw bad(`auth.${key} must be on one of the trustedOrigins`)
    }
  }

  if (options.workerUrl === undefined && ctx.defaultWorkerUrl === undefined) {
    throw bad('workerUrl is required when the SDK cannot tell where vault.worker.js is')
  }
  const workerUrl = resolveUrl(options.workerUrl ?? ctx.defaultWorkerUrl, 'workerUrl', ctx.base)
  if (originOf(workerUrl) !== ctx.origin) throw bad('workerUrl must be same-origin (worker-src \'self\')')

  const channel = options.channel ?? `session-vault:${ctx.origin}${auth.type === 'oauth' ? `:${auth.clientId}` : ''}`
  if (typeof channel !== 'string' || channel.length === 0 || channel.length > 200) {
    throw bad('channel must be a non-empty string of at most 200 characters')
  }

  return {
    workerUrl,
    trustedOrigins,
    auth,
    idle: normalizeIdle(options.idle),
    dialog: normalizeDialog(options.dialog),
    logout: normalizeLogout(options.logout, ctx),
    channel,
  }
}
