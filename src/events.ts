import type { SessionEvents } from './types.js'

/**
 * Every event a session emits (`session.on(name, …)`; the script tag's `session-vault:<name>` document events).
 * @example for (const name of SESSION_EVENTS) session.on(name, payload => console.log(name, payload))
 */
export const SESSION_EVENTS = [
  'authenticated',
  'activity',
  'warning',
  'tick',
  'extended',
  'logout',
  'restoring',
  'step-up',
  'error',
] as const

type Listed = (typeof SESSION_EVENTS)[number]
type SameNames = [Listed] extends [keyof SessionEvents]
  ? [keyof SessionEvents] extends [Listed]
    ? true
    : false
  : false
true satisfies SameNames
