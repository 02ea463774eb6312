import { randomBytes } from 'node:crypto'
import { saltedHash } from './crypto.js'
import type { LogEventName, Mode } from './names.js'
import type { LogEntry } from './options.js'

/** Fields a caller may attach; ids are hashed here, never passed through. */
export interface LogFields {
  sessionId?: string
  userId?: string
  mode?: Mode
  reason?: string
  request?: Request
  clientAddress?: string | undefined
  [field: string]: unknown
}

/** The lifecycle log: salted hashes instead of ids, never a secret. @internal */
export function createLog(
  hook: ((entry: LogEntry) => void) | false | undefined,
  salt: string = randomBytes(16).toString('hex'),
) {
  const write =
    hook === false ? null : (hook ?? ((entry: LogEntry) => process.stdout.write(`${JSON.stringify(entry)}\n`)))
  return {
    sid: (id: string) => saltedHash(salt, id),
    event(event: LogEventName, fields: LogFields = {}): void {
      if (!write) return
      const { sessionId, userId, request, clientAddress, ...rest } = fields
      const entry: LogEntry = { t: new Date().toISOString(), event }
      if (sessionId) entry.sid = saltedHash(salt, sessionId)
      if (userId) entry.uid = saltedHash(salt, userId)
      for (const [key, value] of Object.entries(rest)) if (value !== undefined) entry[key] = value
      if (request) {
        if (clientAddress) entry.ip = clientAddress
        const ua = request.headers.get('user-agent')
        if (ua) entry.ua = ua.slice(0, 200)
      }
      try {
        write(entry)
      } catch {
        // a failing logger never breaks a request
      }
    },
  }
}

export type Log = ReturnType<typeof createLog>
