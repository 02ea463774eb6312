/** An error that becomes a JSON answer `{ error }` with this status. */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code the `error` field of the JSON body
   * @param {Record<string, string>} [headers]
   */
  constructor(status, code, headers = {}) {
    super(code)
    this.status = status
    this.code = code
    this.headers = headers
  }
}

/**
 * Send a JSON answer.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string | string[]>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  const data = Buffer.from(JSON.stringify(body))
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': data.length,
  })
  res.end(data)
}

/**
 * Send an answer without a body.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {Record<string, string>} [headers]
 */
export function sendEmpty(res, status, headers = {}) {
  res.writeHead(status, headers)
  res.end()
}

/** Default body limit of the small JSON and form endpoints, bytes. */
export const SMALL_BODY_LIMIT = 16 * 1024

/**
 * Read the whole request body, refusing more than `limit` bytes with 413.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit] bytes
 * @returns {Promise<Buffer>}
 */
export function readBody(req, limit = SMALL_BODY_LIMIT) {
  const declared = Number(req.headers['content-length'])
  if (declared > limit) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    req.on('data', chunk => {
      size += chunk.length
      if (size > limit) {
        req.removeAllListeners('data')
        req.resume()
        reject(tooLarge())
      } else {
        chunks.push(chunk)
      }
    })
    req.on('end', () => resolve(Buffer.concat(chunks, size)))
    req.on('error', reject)
  })
}

function tooLarge() {
  return new HttpError(413, 'payload_too_large', { Connection: 'close' })
}

/**
 * The media type of a request, lower case, without parameters ('' when absent).
 * @param {import('node:http').IncomingMessage} req
 */
export function mediaType(req) {
  return (req.headers['content-type'] ?? '').replace(/;.*$/s, '').trim().toLowerCase()
}

/**
 * Read a JSON request body: 415 unless the content type is application/json,
 * 400 `invalid_request` when it does not parse.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ limit?: number, allowEmpty?: boolean }} [opts] allowEmpty: an empty body reads as {}
 * @returns {Promise<unknown>}
 */
export async function readJson(req, { limit = SMALL_BODY_LIMIT, allowEmpty = false } = {}) {
  const type = mediaType(req)
  if (type !== 'application/json' && !(allowEmpty && type === '')) throw new HttpError(415, 'unsupported_media_type')
  const body = await readBody(req, limit)
  if (allowEmpty && body.length === 0) return {}
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new HttpError(400, 'invalid_request')
  }
}

/**
 * Whether a value is a plain JSON object (not null, not an array).
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Number of characters (code points) in a string.
 * @param {string} text
 */
export function charCount(text) {
  let n = 0
  for (const _ of text) n++
  return n
}

/**
 * Parse the Cookie header; the first value of a name wins.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Map<string, string>}
 */
export function parseCookies(req) {
  const cookies = new Map()
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    if (name && !cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim())
  }
  return cookies
}

/** A ready Web `Response` (from the session library) to send as the answer. */
export class ResponseAnswer extends Error {
  /** @param {Response} response */
  constructor(response) {
    super(`answer ${response.status}`)
    this.response = response
  }
}

/**
 * What the logs say about the client of a request: the source address (the
 * socket's; this server does not trust X-Forwarded-For) and the user agent.
 * @param {import('node:http').IncomingMessage} req
 */
export function clientFields(req) {
  return { ip: req.socket?.remoteAddress ?? null, ua: String(req.headers['user-agent'] ?? '').slice(0, 256) }
}

/**
 * The origin the browser addressed this server by: `http://` + the Host
 * header (the reference server speaks plain HTTP); null when Host is missing
 * or not a plain host[:port].
 * @param {import('node:http').IncomingMessage} req
 */
export function ownOrigin(req) {
  const host = req.headers.host ?? ''
  return /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(host) ? `http://${host.toLowerCase()}` : null
}
