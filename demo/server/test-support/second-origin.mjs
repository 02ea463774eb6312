import { createServer } from 'node:http'
import { sendEmpty, sendJson } from '../http/http-util.mjs'
import { applyBaseHeaders } from '../http/security-headers.mjs'

/**
 * The second origin of test mode: a separate HTTP server that records every
 * request (preflights too) and answers with permissive, credentialed CORS.
 * @param {{ method?: string, path?: string, hasAuthorization: boolean, hasDpop: boolean, origin: string | null }[]} requests where every request goes
 * @returns {import('node:http').Server}
 */
export function createSecondOriginServer(requests) {
  return createServer((req, res) => {
    const origin = req.headers.origin ?? null
    requests.push({
      method: req.method,
      path: req.url,
      hasAuthorization: req.headers.authorization !== undefined,
      hasDpop: req.headers.dpop !== undefined,
      origin,
    })
    applyBaseHeaders(res, { crossOrigin: true })
    res.setHeader('Cache-Control', 'no-store')
    res.setHeader('Vary', 'Origin')
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin)
      res.setHeader('Access-Control-Allow-Credentials', 'true')
    }
    req.resume()
    if (req.method === 'OPTIONS') {
      return sendEmpty(res, 204, {
        'Access-Control-Allow-Headers': 'authorization, content-type, dpop, x-csrf-token',
        'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
        'Access-Control-Max-Age': '0',
      })
    }
    sendJson(res, 200, { ok: true })
  })
}
