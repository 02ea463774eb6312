/** The Content-Security-Policy of every HTML page. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types session-vault',
  'report-uri /csp-report',
].join('; ')

/**
 * Headers every answer carries. The second origin passes `crossOrigin: true`
 * and gets no Cross-Origin-Resource-Policy.
 * @param {import('node:http').ServerResponse} res
 * @param {{ crossOrigin?: boolean }} [opts]
 */
export function applyBaseHeaders(res, { crossOrigin = false } = {}) {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  if (!crossOrigin) res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
}

/**
 * Headers of an HTML page: the strict CSP with Trusted Types. `policies`: Trusted Types policy
 * names the page may create besides the SDK's (Vue's runtime creates one named `vue`).
 * @param {import('node:http').ServerResponse} res
 * @param {string[]} [policies]
 */
export function applyPageHeaders(res, policies = []) {
  res.setHeader(
    'Content-Security-Policy',
    policies.length
      ? PAGE_CSP.replace('trusted-types session-vault', `trusted-types session-vault ${policies.join(' ')}`)
      : PAGE_CSP,
  )
  res.setHeader('X-Frame-Options', 'DENY')
}

/**
 * Headers of answers that must never be stored (authenticated, /auth/*, /test/*).
 * @param {import('node:http').ServerResponse} res
 */
export function applyNoStore(res) {
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Pragma', 'no-cache')
}

/**
 * The Content-Security-Policy of the vault's worker script: nothing but
 * connections, and those only to `origins` (exactly the trusted origins). A
 * dedicated worker loaded from a URL takes its CSP from this response, so no
 * vault on this origin, not even one injected script creates with its own
 * `trustedOrigins`, can send a token anywhere else.
 * @param {string[]} origins source expressions, e.g. ['http://127.0.0.1:8787']
 */
export function workerCsp(origins) {
  return `default-src 'none'; connect-src ${origins.length > 0 ? origins.join(' ') : "'none'"}`
}

/**
 * Whether a served file is a build of the vault's worker (`vault.worker.js`, hashed names too).
 * @param {string} file
 */
export function isVaultWorkerFile(file) {
  return /(^|[\\/])vault\.worker(?:[.-][A-Za-z0-9_-]+)?\.js$/.test(file)
}
