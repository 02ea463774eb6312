import { WireAnswer } from './http.js'
import type { SessionRecord } from './store.js'

/** When the session's user last proved who they are (records from before `authTime` existed: their start). @internal */
export const authTimeOf = (session: SessionRecord): number => session.authTime ?? session.createdAt

/**
 * `maxAge` as `authenticate` takes it: undefined, or a positive finite number of seconds.
 * @throws {TypeError} otherwise, naming `where`
 * @internal
 */
export function checkMaxAge(maxAge: unknown, where: string): void {
  if (maxAge === undefined) return
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0)
    throw new TypeError(`${where}: maxAge must be a positive number of seconds`)
}

/** Whether the session's last credential check is older than `maxAge` seconds at `now`. @internal */
export const tooOld = (session: SessionRecord, maxAge: number, now: number): boolean =>
  now - authTimeOf(session) > maxAge * 1000

/**
 * The RFC 9470 challenge of a session whose last sign-in is older than
 * `maxAge` seconds (section 3: `error`, `error_description`, `max_age`,
 * quoted as the RFC's examples are). @internal
 */
export function stepUpChallenge(maxAge: number): WireAnswer {
  return new WireAnswer(401, { error: 'insufficient_user_authentication', max_age: maxAge }, [
    [
      'WWW-Authenticate',
      `Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="${maxAge}"`,
    ],
  ])
}
