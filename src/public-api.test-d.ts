/**
 * Type-level tests of the shipped declarations (`dist/session-vault.d.ts`, `dist/server/index.d.ts`),
 * imported by package name as users do: `npm run test:types` fails when a declaration drifts.
 * Each `@ts-expect-error` is a negative case: it fails the check if the line ever compiles.
 */
import {
  createSession,
  type Duration,
  isSessionVaultError,
  type LogoutReason,
  parseDuration,
  SESSION_EVENTS,
  type Session,
  type SessionEventName,
  type SessionEvents,
  type SessionInfo,
  type SessionOptions,
  type SessionState,
  type SessionVaultError,
  type SessionVaultErrorCode,
} from 'session-vault'
import { createSessionServer, memoryStore, type SessionServer } from 'session-vault/server'
import { createEventStreamParser, type ServerSentEvent, subscribe } from 'session-vault/sse'
import { expectTypeOf } from 'vitest'

const token: SessionOptions['auth'] = { type: 'token', loginUrl: '/auth/login', refreshUrl: '/auth/refresh' }

// Durations: milliseconds or a number with a unit, nothing else.
expectTypeOf<15>().toExtend<Duration>()
expectTypeOf<'15m'>().toExtend<Duration>()
expectTypeOf<'1.5h'>().toExtend<Duration>()
expectTypeOf<'soon'>().not.toExtend<Duration>()
expectTypeOf<'15 minutes'>().not.toExtend<Duration>()
expectTypeOf(parseDuration).returns.toEqualTypeOf<number>()

// Options: each auth type requires its own fields; idle needs both timeout and warnBefore.
createSession({ auth: token, idle: { timeout: '15m', warnBefore: '1m', absoluteTimeout: '8h' } })
createSession({ auth: { type: 'cookie', logoutUrl: '/logout', sessionUrl: '/session' }, dialog: false })
// The dialog's language and texts: a message is a {remaining} template or a function of the time.
createSession({
  auth: token,
  dialog: { locale: 'de-AT', texts: { idleMessage: 'Abmeldung in {remaining}', absoluteMessage: r => `${r}!` } },
})
// @ts-expect-error a message is text, not a number
createSession({ auth: token, dialog: { texts: { idleMessage: 5 } } })
// @ts-expect-error the locale is one tag, not a list
createSession({ auth: token, dialog: { locale: ['de'] } })
createSession({
  auth: {
    type: 'oauth',
    issuer: 'https://id.example',
    clientId: 'spa',
    redirectUri: '/cb',
    dpop: true,
    persist: 'dpop',
  },
  trustedOrigins: ['https://api.example'],
  logout: { redirectTo: '/bye', clear: { localStorage: ['draft'], caches: true } },
})
// @ts-expect-error token mode needs loginUrl
createSession({ auth: { type: 'token' } })
// @ts-expect-error cookie mode needs logoutUrl
createSession({ auth: { type: 'cookie' } })
// @ts-expect-error OAuth needs clientId and redirectUri
createSession({ auth: { type: 'oauth', issuer: 'https://id.example' } })
// @ts-expect-error no such auth type
createSession({ auth: { type: 'saml', loginUrl: '/x' } })
// @ts-expect-error warnBefore is required
createSession({ auth: token, idle: { timeout: '15m' } })
// @ts-expect-error a duration, not free text
createSession({ auth: token, idle: { timeout: 'fifteen minutes', warnBefore: '1m' } })
// @ts-expect-error persist is 'none' or 'dpop'
createSession({ auth: { type: 'oauth', clientId: 'c', redirectUri: '/cb', persist: 'local' } })

// The session: methods, states, events.
declare const session: Session
expectTypeOf(session.ready).toEqualTypeOf<Promise<void>>()
expectTypeOf(session.fetch).parameters.toEqualTypeOf<[input: RequestInfo | URL, init?: RequestInit]>()
expectTypeOf(session.fetch).returns.toEqualTypeOf<Promise<Response>>()
expectTypeOf(session.login).parameters.toEqualTypeOf<[credentials: unknown]>()
expectTypeOf(session.extend).returns.toEqualTypeOf<Promise<void>>()
expectTypeOf(session.state).toEqualTypeOf<SessionState>()
expectTypeOf<SessionState>().toEqualTypeOf<'anonymous' | 'authenticated' | 'warning' | 'ended'>()
session.logout({ reason: 'user' })
// @ts-expect-error not a logout reason
session.logout({ reason: 'bored' })

// The idle controls.
expectTypeOf(session.idle.phase).toEqualTypeOf<'inactive' | 'active' | 'paused' | 'warning'>()
expectTypeOf(session.idle.remainingMs).toEqualTypeOf<number | undefined>()
expectTypeOf(session.idle.subscribe(() => {})).toEqualTypeOf<() => void>()
session.idle.update({ timeout: '5m', warnBefore: '30s' })
// @ts-expect-error the activity events are not changed at run time
session.idle.update({ events: ['click'] })

// The page never sees a token.
expectTypeOf(session.info).toEqualTypeOf<SessionInfo>()
expectTypeOf<keyof SessionInfo>().toEqualTypeOf<
  'authenticated' | 'expiresAt' | 'claims' | 'idleDeadline' | 'absoluteDeadline' | 'restoring'
>()

expectTypeOf<SessionEventName>().toEqualTypeOf<(typeof SESSION_EVENTS)[number]>()
expectTypeOf<SessionEventName>().toEqualTypeOf<keyof SessionEvents>()
expectTypeOf(SESSION_EVENTS).toEqualTypeOf<
  readonly ['authenticated', 'activity', 'warning', 'tick', 'extended', 'logout', 'restoring', 'step-up', 'error']
>()
expectTypeOf(session.on('warning', () => {})).toEqualTypeOf<() => void>()
session.on('warning', payload => {
  expectTypeOf(payload).toEqualTypeOf<{ reason: 'idle' | 'absolute'; remainingMs: number; deadline: number }>()
})
session.on('logout', ({ reason, serverConfirmed }) => {
  expectTypeOf(reason).toEqualTypeOf<LogoutReason>()
  expectTypeOf(serverConfirmed).toBeBoolean()
})
session.on('step-up', ({ acrValues, maxAge }) => {
  expectTypeOf(acrValues).toEqualTypeOf<string[] | undefined>()
  expectTypeOf(maxAge).toEqualTypeOf<number | undefined>()
})
session.on('restoring', ({ active, retryAt }) => {
  expectTypeOf(active).toBeBoolean()
  expectTypeOf(retryAt).toEqualTypeOf<number | undefined>()
})
session.on('error', error => expectTypeOf(error).toEqualTypeOf<SessionVaultError>())
// @ts-expect-error no such event
session.on('expired', () => {})
expectTypeOf<LogoutReason>().toEqualTypeOf<'user' | 'idle' | 'absolute' | 'remote' | 'server' | 'revoked' | 'error'>()

// Errors: a stable code, narrowed by the guard.
declare const caught: unknown
if (isSessionVaultError(caught)) expectTypeOf(caught.code).toEqualTypeOf<SessionVaultErrorCode>()
expectTypeOf<
  'ERR_UNTRUSTED_ORIGIN' | 'ERR_SESSION_ENDED' | 'ERR_LOAD_FAILED' | 'ERR_STEP_UP_REQUIRED' | 'ERR_EVENT_STREAM'
>().toExtend<SessionVaultErrorCode>()
expectTypeOf<'ERR_WHATEVER'>().not.toExtend<SessionVaultErrorCode>()

// session-vault/sse: subscribe takes a session of the core's own type and resolves nothing.
declare const live: Session
expectTypeOf(subscribe(live, '/api/events', { onEvent: () => {} })).toEqualTypeOf<Promise<void>>()
subscribe(live, new URL('https://api.example.com/events'), {
  onEvent: event => expectTypeOf(event).toEqualTypeOf<ServerSentEvent>(),
  onOpen: response => expectTypeOf(response).toEqualTypeOf<Response>(),
  onError: error => expectTypeOf(error).toBeUnknown(),
  signal: AbortSignal.timeout(1000),
  lastEventId: '41',
  retry: 500,
  headers: { 'X-Feed': 'news' },
})
// @ts-expect-error onEvent is required
subscribe(live, '/api/events', {})
subscribe(live, '/api/events', { onEvent: () => {}, retry: '3s' })
// @ts-expect-error retry is a duration: milliseconds or a number with a unit
subscribe(live, '/api/events', { onEvent: () => {}, retry: 'soon' })
const parser = createEventStreamParser(({ type, data, lastEventId }) => [type, data, lastEventId], '7')
parser.feed(new Uint8Array())
expectTypeOf(parser.lastEventId).toBeString()
expectTypeOf(parser.retry).toEqualTypeOf<number | undefined>()

// session-vault/server
const server = createSessionServer({
  mode: 'token',
  store: memoryStore(),
  verifyCredentials: async () => ({ id: 'alice' }),
})
// @ts-expect-error mode is 'token' or 'cookie'
createSessionServer({ mode: 'jwt', verifyCredentials: () => null })
expectTypeOf(server).toEqualTypeOf<SessionServer>()
expectTypeOf(server.handle).returns.toEqualTypeOf<Promise<Response | undefined>>()
