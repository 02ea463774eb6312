// The few files the e2e apps serve: the SDK build (dist/ at /assets/) and the
// harness page, with the reference server's strict page CSP.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { PAGE_CSP } from '../../../demo/server/http/security-headers.mjs'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

/**
 * A static file for `pathname`, or null.
 * @param {string} pathname
 * @returns {Promise<{ headers: Record<string, string>, body: Buffer } | null>}
 */
export async function staticFile(pathname) {
  let file = null
  if (pathname === '/' || pathname === '/e2e/support/page.html') file = 'e2e/support/page.html'
  else if (pathname === '/e2e/support/page.js') file = 'e2e/support/page.js'
  else {
    const match = /^\/assets\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(pathname)
    if (match) file = `dist/${match[1]}`
  }
  if (!file) return null
  const ext = file.slice(file.lastIndexOf('.'))
  const type = TYPES[ext]
  if (!type) return null
  const body = await readFile(ROOT + file).catch(() => null)
  if (!body) return null
  const headers = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }
  if (ext === '.html') Object.assign(headers, { 'Content-Security-Policy': PAGE_CSP, 'X-Frame-Options': 'DENY' })
  return { headers, body }
}
