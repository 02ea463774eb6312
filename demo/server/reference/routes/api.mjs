import { HttpError, isObject, readBody, readJson, sendEmpty, sendJson } from '../../http/http-util.mjs'
import { withRecentSession, withSession } from '../auth-http.mjs'
import { addNote, deleteNotes, notesOf } from '../notes.mjs'

/** Largest body `/api/echo` reads, bytes. */
const MAX_TRANSFER = 20 * 1024 * 1024
/** Largest body `/api/bytes` sends, bytes: enough for the streamed downloads of the tests (50 MB) and the bench (100 MB). */
const MAX_DOWNLOAD = 128 * 1024 * 1024
/** Byte i of `/api/bytes` is i % PATTERN_PERIOD (a prime, so chunk boundaries never line up with it). */
const PATTERN_PERIOD = 251
/** One buffer of the pattern, written again and again. */
const PATTERN = Buffer.from(Array.from({ length: PATTERN_PERIOD * 256 }, (_, i) => i % PATTERN_PERIOD))

/** @typedef {import('../auth-http.mjs').SessionContext} SessionContext */

/** @param {SessionContext} ctx */
function me({ res, state, session }) {
  const user = state.users.get(session.user)
  sendJson(res, 200, {
    username: session.user,
    name: user?.name ?? session.user,
    sessionCreatedAt: session.createdAt,
    idleExpiresAt: session.idleExpiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
  })
}

/** @param {SessionContext} ctx */
function listNotes({ res, state, session }) {
  sendJson(res, 200, { notes: notesOf(state.notes, session.user) })
}

/** @param {SessionContext} ctx */
async function addNoteRoute({ req, res, state, session }) {
  const body = await readJson(req)
  sendJson(res, 201, addNote(state.notes, session.user, isObject(body) ? body.text : undefined))
}

/** @param {SessionContext} ctx */
function deleteAllNotes({ req, res, state, session }) {
  req.resume()
  sendJson(res, 200, { deleted: deleteNotes(state.notes, session.user) })
}

/** @param {SessionContext} ctx */
async function echo({ req, res }) {
  const body = await readBody(req, MAX_TRANSFER)
  const { authorization, cookie: _cookie, ...headers } = req.headers
  sendJson(res, 200, {
    method: req.method,
    headers: { ...headers, authorization: authorization !== undefined },
    bodyBase64: body.toString('base64'),
    bodyLength: body.length,
    contentType: req.headers['content-type'] ?? null,
  })
}

/** @param {SessionContext} ctx */
function bytes({ req, res, url }) {
  const raw = url.searchParams.get('n') ?? ''
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : -1
  if (n < 0 || n > MAX_DOWNLOAD) throw new HttpError(400, 'invalid_request')
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': n })
  if (req.method === 'HEAD') return res.end()
  let sent = 0
  const pump = () => {
    while (sent < n) {
      const chunk = PATTERN.subarray(0, Math.min(PATTERN.length, n - sent))
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    res.end()
  }
  res.on('close', () => res.off('drain', pump))
  pump()
}

/** @param {SessionContext} ctx */
function status({ res, params }) {
  const code = /^\d{3}$/.test(params.code ?? '') ? Number(params.code) : 0
  if (code < 200 || code > 599) throw new HttpError(400, 'invalid_request')
  const headers = { 'X-Status': String(code) }
  if (code === 204 || code === 304) return sendEmpty(res, code, headers)
  sendJson(res, code, { status: code }, headers)
}

/**
 * The demo's protected APIs: profile, notes, and the helpers e2e tests use
 * (echo, bytes, status). All need a live bearer token and count as activity;
 * deleting every note also needs a recent sign-in (step-up).
 * @param {import('../../http/router.mjs').Router<import('../app.mjs').RouteContext>} router
 */
export function addApiRoutes(router) {
  router.add('GET', '/api/me', withSession(me))
  router.add('GET', '/api/notes', withSession(listNotes))
  router.add('POST', '/api/notes', withSession(addNoteRoute))
  // Sensitive: a sign-in from the last few minutes, else the RFC 9470 step-up challenge.
  router.add('DELETE', '/api/notes', withRecentSession(deleteAllNotes))
  router.add(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], '/api/echo', withSession(echo))
  router.add('GET', '/api/bytes', withSession(bytes))
  router.add(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], '/api/status/:code', withSession(status))
}
