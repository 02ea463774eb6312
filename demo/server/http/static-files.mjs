import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { applyPageHeaders } from './security-headers.mjs'

/**
 * Content types of the files the demo serves.
 * @type {Readonly<Record<string, string>>}
 */
export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
}

/**
 * Resolve a URL sub-path (still percent-encoded) inside a directory; null when
 * it does not decode, names a dot-file, or would leave the directory.
 * @param {string} dir absolute directory
 * @param {string} subPath e.g. 'css/app.css'
 * @returns {string | null}
 */
export function resolveInside(dir, subPath) {
  let decoded
  try {
    decoded = decodeURIComponent(subPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const segments = decoded.split('/').filter(Boolean)
  if (segments.some(s => s.startsWith('.'))) return null
  const base = resolve(dir)
  const full = resolve(base, ...segments)
  return full.startsWith(base + sep) ? full : null
}

/**
 * Send a regular file if it exists; HTML gets the page CSP.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string | null} file absolute path
 * @param {string[]} [policies] Trusted Types policies an HTML page may create besides the SDK's
 * @returns {Promise<boolean>} false when there is no such regular file
 */
export async function sendFile(req, res, file, policies = []) {
  if (!file) return false
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return false
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
  if (type.startsWith('text/html')) applyPageHeaders(res, policies)
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': info.size,
    'Cache-Control': 'no-cache',
    'Last-Modified': info.mtime.toUTCString(),
  })
  if (req.method === 'HEAD') {
    res.end()
    return true
  }
  await /** @type {Promise<void>} */ (
    new Promise(done => {
      const stream = createReadStream(file)
      stream.on('error', () => {
        res.destroy()
        done()
      })
      res.on('close', () => {
        stream.destroy()
        done()
      })
      stream.pipe(res)
    })
  )
  return true
}
