import {
  charCount,
  clientFields,
  HttpError,
  isObject,
  ResponseAnswer,
  readJson,
  sendJson,
} from '../../http/http-util.mjs'
import { requestContext, sendWebResponse, webRequest, withSession } from '../auth-http.mjs'
import { MAX_PASSWORD_LENGTH } from '../users.mjs'

/** Length limits of a new password, in characters. */
const MIN_NEW_PASSWORD_LENGTH = 8
const MAX_NEW_PASSWORD_LENGTH = 200

/** @typedef {import('../auth-http.mjs').SessionContext} SessionContext */

/**
 * @param {import('../../../../dist/server/index.js').SessionRecord} session
 * @param {{ sessionId: string }} current
 */
function view(session, current) {
  const { id, createdAt, lastSeenAt, userAgent, mode } = session
  return { handle: id, createdAt, lastSeenAt, userAgent, mode, current: id === current.sessionId }
}

/** @param {SessionContext} ctx */
async function list({ res, state, session }) {
  const sessions = await state.auth.token.listSessions(session.user)
  sendJson(res, 200, { sessions: sessions.map(s => view(s, session)) })
}

/** @param {SessionContext} ctx */
async function endOne({ res, state, session, params }) {
  const handle = params.handle ?? ''
  const reason = handle === session.sessionId ? 'self' : 'user'
  if (!(await state.auth.token.endSession(handle, { userId: session.user, reason })))
    throw new HttpError(404, 'not_found')
  sendJson(res, 200, { ok: true })
}

/** @param {SessionContext} ctx */
async function revokeOthers({ req, res, state, session }) {
  req.resume()
  const { revoked } = await state.auth.token.revokeUser(session.user, { except: session.sessionId, reason: 'others' })
  sendJson(res, 200, { ok: true, revoked })
}

/**
 * Change the password: `currentPassword` is checked under the login throttle
 * (the account's count is shared with its logins), the new hash computed;
 * then the session library's `renewSession`, in one atomic step of the store,
 * checks that this session is still live (a session revoked meanwhile cannot
 * complete the change), ends every other session of the user, refuses the
 * logins that checked the old password before it, and gives this session a
 * new refresh token (same session_id). Only then is the new password
 * installed, and only if the credentials are still the ones checked (a
 * concurrent change wins once).
 * @param {SessionContext} ctx
 */
async function changePassword({ req, res, state, session }) {
  const { users, log } = state
  const server = state.auth.token
  const body = await readJson(req)
  const { currentPassword, newPassword } = isObject(body) ? body : {}
  if (typeof currentPassword !== 'string' || typeof newPassword !== 'string')
    throw new HttpError(400, 'invalid_request')
  const length = charCount(newPassword)
  if (length < MIN_NEW_PASSWORD_LENGTH || length > MAX_NEW_PASSWORD_LENGTH) throw new HttpError(400, 'invalid_request')
  if (currentPassword.length > MAX_PASSWORD_LENGTH) throw new HttpError(400, 'invalid_request')
  /** @param {string} reason */
  const failed = reason => log.event('password_change_failed', session, { reason, ...clientFields(req) })
  /** @type {Awaited<ReturnType<typeof users.verify>>} */
  let checked = null
  const outcome = await server.throttledCheck({ account: session.user, ...requestContext(req) }, async () => {
    checked = await users.verify(session.user, currentPassword)
    return checked !== null
  })
  if (outcome instanceof Response) throw new ResponseAnswer(outcome)
  if (outcome !== 'ok' || !checked) {
    failed('wrong_password')
    throw new HttpError(403, 'wrong_password')
  }
  const { version } = checked
  const prepared = await users.prepare(session.user, newPassword)
  if (users.version(session.user) !== version) {
    failed('conflict')
    throw new HttpError(409, 'conflict')
  }
  const renewed = await server.renewSession(webRequest(req, { body: false }), requestContext(req))
  if (renewed instanceof Response) {
    failed('session_ended')
    return sendWebResponse(res, renewed)
  }
  const cookies = renewed.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value)
  // This session now holds only the new refresh token: it goes with the answer either way.
  if (!users.commit(session.user, prepared, version)) {
    failed('conflict')
    return sendJson(res, 409, { error: 'conflict' }, { 'Set-Cookie': cookies })
  }
  log.event('password_changed', session, { revoked: renewed.revoked })
  sendJson(res, 200, { ok: true }, { 'Set-Cookie': cookies })
}

/**
 * Active sessions (list, end one, end all others) and password change, which
 * ends every other session and renews the current one. The sessions of both
 * kinds (token mode and the /classic/ cookie sessions) live in one store.
 * @param {import('../../http/router.mjs').Router<import('../app.mjs').RouteContext>} router
 */
export function addSessionRoutes(router) {
  router.add('GET', '/api/sessions', withSession(list))
  router.add('POST', '/api/sessions/revoke-others', withSession(revokeOthers))
  router.add('DELETE', '/api/sessions/:handle', withSession(endOne))
  router.add('POST', '/api/password', withSession(changePassword))
}
