import { describe, expect, it } from 'vitest'
import { normalizeOptions, type OptionsContext, updatedIdle } from './options.js'
import { isSessionVaultError } from './shared/errors.js'
import type { SessionOptions } from './types.js'

const ctx: OptionsContext = {
  base: 'http://127.0.0.1:8787/app/page',
  origin: 'http://127.0.0.1:8787',
  defaultWorkerUrl: 'http://127.0.0.1:8787/assets/vault.worker.js',
}
const auth = { type: 'token', loginUrl: '/auth/login', refreshUrl: '/auth/refresh' } as const

function badField(options: unknown, context: OptionsContext = ctx): string {
  try {
    normalizeOptions(options as SessionOptions, context)
  } catch (error) {
    expect(isSessionVaultError(error, 'ERR_BAD_OPTIONS')).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected ERR_BAD_OPTIONS')
}

describe('normalizeOptions', () => {
  it('resolves URLs against the page and fills defaults', () => {
    const options = normalizeOptions({ auth }, ctx)
    expect(options.auth).toEqual({
      type: 'token',
      loginUrl: 'http://127.0.0.1:8787/auth/login',
      refreshUrl: 'http://127.0.0.1:8787/auth/refresh',
      logoutUrl: undefined,
      keepaliveUrl: undefined,
      statusUrl: undefined,
      reauthUrl: undefined,
    })
    expect(options.monitor).toBe(false)
    expect(options.trustedOrigins).toEqual(['http://127.0.0.1:8787'])
    expect(options.workerUrl).toBe('http://127.0.0.1:8787/assets/vault.worker.js')
    expect(options.idle).toBe(false)
    expect(options.dialog).toEqual({ texts: {}, announceEvery: 15_000 })
    expect(options.channel).toBe('session-vault:http://127.0.0.1:8787')
    expect(options.logout.clear).toEqual({ localStorage: false, sessionStorage: false, indexedDB: [], caches: false })
  })

  it('parses idle durations and derives the keepalive interval', () => {
    const { idle } = normalizeOptions({ auth, idle: { timeout: '15m', warnBefore: '1m', absoluteTimeout: '8h' } }, ctx)
    expect(idle).toEqual({
      timeout: 900_000,
      warnBefore: 60_000,
      absoluteTimeout: 28_800_000,
      keepaliveInterval: 180_000,
      events: ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'],
      frames: false,
    })
    expect(
      normalizeOptions({ auth, idle: { timeout: '15m', warnBefore: '1m', frames: true } }, ctx).idle,
    ).toMatchObject({
      frames: true,
    })
  })

  it('updatedIdle: the same rules; a new timeout derives the keepalive interval again; unknown fields refused', () => {
    const current = normalizeOptions(
      { auth, idle: { timeout: '15m', warnBefore: '1m', absoluteTimeout: '8h' } },
      ctx,
    ).idle
    if (!current) throw new Error('idle expected')
    expect(updatedIdle(current, { timeout: '5m', warnBefore: '30s' })).toEqual({
      ...current,
      timeout: 300_000,
      warnBefore: 30_000,
      keepaliveInterval: 60_000,
    })
    expect(updatedIdle(current, { keepaliveInterval: '10s' }).keepaliveInterval).toBe(10_000)
    const refused = (changes: unknown) => {
      try {
        updatedIdle(current, changes)
      } catch (error) {
        expect(isSessionVaultError(error, 'ERR_BAD_OPTIONS')).toBe(true)
        return (error as Error).message
      }
      throw new Error('expected ERR_BAD_OPTIONS')
    }
    expect(refused({ warnBefore: '20m' })).toMatch(/idle\.warnBefore.*shorter than idle\.timeout/)
    expect(refused({ timeout: 'soon' })).toMatch(/idle\.timeout/)
    expect(refused({ absoluteTimeout: '1m' })).toMatch(/idle\.absoluteTimeout/)
    expect(refused({ events: ['click'] })).toMatch(/idle\.events cannot be changed/)
    expect(refused(null)).toMatch(/needs an object/)
  })

  it.each([
    [{ auth: { type: 'magic' } }, /auth\.type/],
    [{}, /auth is required/],
    [{ auth: { type: 'token' } }, /auth\.loginUrl/],
    [{ auth: { ...auth, loginUrl: 'http://[' } }, /auth\.loginUrl/],
    [{ auth: { ...auth, logoutUrl: 'ftp://x/' } }, /auth\.logoutUrl/],
    [
      { auth: { ...auth, keepaliveUrl: 'https://elsewhere.example/ka' } },
      /auth\.keepaliveUrl must be on one of the trustedOrigins/,
    ],
    [{ auth: { ...auth, loginURL: '/x' } }, /auth\.loginURL is not a known option/],
    [{ auth, trustedOrigins: ['http://127.0.0.1:8787', 'https://*.example.com'] }, /trustedOrigins\[1\]/],
    [{ auth, trustedOrigins: ['http://127.0.0.1:8787/api'] }, /trustedOrigins\[0\]/],
    [{ auth, trustedOrigins: [] }, /trustedOrigins/],
    [{ auth, idel: {} }, /idel is not a known option/],
    [{ auth, idle: { timeout: '15 minutes', warnBefore: '1m' } }, /idle\.timeout/],
    [{ auth, idle: { timeout: '1m', warnBefore: '1m' } }, /idle\.warnBefore must be shorter/],
    [{ auth, idle: { timeout: '1m', warnBefore: -5 } }, /idle\.warnBefore/],
    [{ auth, idle: { timeout: '1h', warnBefore: '1m', absoluteTimeout: '30m' } }, /idle\.absoluteTimeout/],
    [
      { auth, idle: { timeout: '1h', warnBefore: '1m', events: ['keydown', 'blur'] } },
      /idle\.events: unknown event name "blur"/,
    ],
    [{ auth, idle: { timeout: '1h', warnBefore: '1m', keepaliveInterval: '2h' } }, /idle\.keepaliveInterval/],
    [{ auth, dialog: { announceEvery: '100ms' } }, /dialog\.announceEvery/],
    [{ auth, dialog: { texts: { title: 5 } } }, /dialog\.texts\.title/],
    [{ auth, dialog: { texts: { idleMessage: 5 } } }, /dialog\.texts\.idleMessage must be a "\{remaining\}" template/],
    [{ auth, dialog: { locale: 'not a tag!' } }, /dialog\.locale must be a BCP 47 language tag/],
    [{ auth, dialog: { locale: '' } }, /dialog\.locale/],
    [{ auth, dialog: { locale: ['de'] } }, /dialog\.locale/],
    [{ auth, logout: { redirectTo: 'https://evil.example/' } }, /logout\.redirectTo/],
    [{ auth, logout: { clear: { indexedDB: 'app' } } }, /logout\.clear\.indexedDB/],
    [{ auth, workerUrl: 'https://cdn.example/vault.worker.js' }, /workerUrl must be same-origin/],
    [{ auth, channel: '' }, /channel/],
  ])('rejects %j', (options, message) => {
    expect(badField(options)).toMatch(message)
  })

  it('canonicalises dialog.locale and keeps message templates and functions', () => {
    const idleMessage = (remaining: string) => remaining
    const dialog = normalizeOptions(
      { auth, dialog: { locale: 'DE-at', texts: { idleMessage, absoluteMessage: 'in {remaining}' } } },
      ctx,
    ).dialog
    expect(dialog).toEqual({
      locale: 'de-AT',
      texts: { idleMessage, absoluteMessage: 'in {remaining}' },
      announceEvery: 15_000,
    })
  })

  it('normalises cookie mode', () => {
    const { auth } = normalizeOptions({ auth: { type: 'cookie', sessionUrl: '/session', logoutUrl: '/logout' } }, ctx)
    expect(auth).toEqual({
      type: 'cookie',
      sessionUrl: 'http://127.0.0.1:8787/session',
      logoutUrl: 'http://127.0.0.1:8787/logout',
      csrfHeader: 'X-CSRF-Token',
    })
  })

  it('normalises OAuth and derives the channel from the client id', () => {
    const options = normalizeOptions(
      {
        auth: {
          type: 'oauth',
          issuer: 'https://login.example.com',
          clientId: 'spa',
          redirectUri: '/callback',
          dpop: true,
          persist: 'dpop',
        },
      },
      ctx,
    )
    expect(options.auth).toEqual({
      type: 'oauth',
      issuer: 'https://login.example.com',
      clientId: 'spa',
      redirectUri: 'http://127.0.0.1:8787/callback',
      scope: 'openid',
      dpop: true,
      persist: 'dpop',
    })
    expect(options.channel).toBe('session-vault:http://127.0.0.1:8787:spa')
  })

  it.each([
    [{ auth: { type: 'cookie' } }, /auth\.logoutUrl is required/],
    [
      { auth: { type: 'cookie', logoutUrl: '/l', sessionUrl: 'https://other.example/s' } },
      /auth\.sessionUrl must be same-origin/,
    ],
    [{ auth: { type: 'cookie', logoutUrl: '/l', csrfHeader: 'X Bad' } }, /auth\.csrfHeader/],
    [{ auth: { type: 'oauth', issuer: 'https://i.example', redirectUri: '/cb' } }, /auth\.clientId/],
    [{ auth: { type: 'oauth', clientId: 'c', redirectUri: '/cb' } }, /auth\.issuer is required/],
    [{ auth: { type: 'oauth', issuer: 'https://i.example', clientId: 'c' } }, /auth\.redirectUri is required/],
    [
      { auth: { type: 'oauth', issuer: 'https://i.example', clientId: 'c', redirectUri: 'https://evil.example/cb' } },
      /auth\.redirectUri must be same-origin/,
    ],
    [
      {
        auth: {
          type: 'oauth',
          issuer: 'https://i.example',
          clientId: 'c',
          redirectUri: '/cb',
          persist: 'localStorage',
        },
      },
      /auth\.persist must be 'none' or 'dpop'/,
    ],
    [
      { auth: { type: 'oauth', issuer: 'https://i.example', clientId: 'c', redirectUri: '/cb', persist: 'dpop' } },
      /auth\.persist 'dpop' needs auth\.dpop: true/,
    ],
  ])('rejects %j', (options, message) => {
    expect(badField(options)).toMatch(message)
  })

  it('maxBodyBytes (bytes; default left to the vault) and requestTimeout (a duration; 0 = none)', () => {
    expect(normalizeOptions({ auth }, ctx)).toMatchObject({ maxBodyBytes: undefined, requestTimeout: 0 })
    expect(normalizeOptions({ auth, maxBodyBytes: 1024, requestTimeout: '30s' }, ctx)).toMatchObject({
      maxBodyBytes: 1024,
      requestTimeout: 30_000,
    })
    for (const maxBodyBytes of [0, -1, 1.5, '1024', Infinity])
      expect(badField({ auth, maxBodyBytes })).toMatch(/^maxBodyBytes /)
    expect(badField({ auth, requestTimeout: 'soon' })).toMatch(/^requestTimeout /)
  })

  it('monitor: an interval of at least a second, onFocus by default, and a status endpoint', () => {
    const withStatus = { ...auth, statusUrl: '/auth/status', reauthUrl: '/auth/reauth' }
    const options = normalizeOptions({ auth: withStatus, monitor: { interval: '1m' } }, ctx)
    expect(options.monitor).toEqual({ interval: 60_000, onFocus: true })
    expect(options.auth).toMatchObject({
      statusUrl: 'http://127.0.0.1:8787/auth/status',
      reauthUrl: 'http://127.0.0.1:8787/auth/reauth',
    })
    expect(normalizeOptions({ auth: withStatus, monitor: { interval: 2_000, onFocus: false } }, ctx).monitor).toEqual({
      interval: 2_000,
      onFocus: false,
    })
    expect(normalizeOptions({ auth: withStatus, monitor: false }, ctx).monitor).toBe(false)
    expect(badField({ auth: withStatus, monitor: { interval: '500ms' } })).toMatch(
      /monitor\.interval.*at least one second/,
    )
    expect(badField({ auth: withStatus, monitor: {} })).toMatch(/monitor\.interval/)
    expect(badField({ auth: withStatus, monitor: { interval: '1m', onFocus: 'yes' } })).toMatch(/monitor\.onFocus/)
    expect(badField({ auth, monitor: { interval: '1m' } })).toMatch(/monitor.*needs auth\.statusUrl/)
    expect(
      badField({
        auth: { type: 'oauth', issuer: 'https://login.example', clientId: 'spa', redirectUri: '/callback' },
        monitor: { interval: '1m' },
      }),
    ).toMatch(/monitor.*not available with auth\.type 'oauth'/)
    expect(badField({ auth: { ...withStatus, statusUrl: 'https://elsewhere.example/status' } })).toMatch(
      /auth\.statusUrl.*trustedOrigins/,
    )
  })

  it('debug: off by default, true logs to console.debug, a function receives the entries', () => {
    expect(normalizeOptions({ auth }, ctx).debug).toBe(false)
    expect(normalizeOptions({ auth, debug: false }, ctx).debug).toBe(false)
    expect(typeof normalizeOptions({ auth, debug: true }, ctx).debug).toBe('function')
    const logger = () => {}
    expect(normalizeOptions({ auth, debug: logger }, ctx).debug).toBe(logger)
    expect(badField({ auth, debug: 'verbose' })).toMatch(/debug.*true, false or a function/)
  })

  it('needs a workerUrl when there is no default', () => {
    expect(badField({ auth }, { ...ctx, defaultWorkerUrl: undefined })).toMatch(/workerUrl is required/)
  })

  it('accepts extra trusted API origins for auth endpoints', () => {
    const options = normalizeOptions(
      {
        auth: { type: 'token', loginUrl: 'https://api.example.com/login' },
        trustedOrigins: ['https://api.example.com'],
      },
      ctx,
    )
    expect(options.trustedOrigins).toEqual(['https://api.example.com'])
  })
})
