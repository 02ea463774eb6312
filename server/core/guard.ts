import type { WireError } from './names.js'

/** The header the SDK sends on its auth calls; a cross-site form cannot send it. */
export const SDK_HEADER = 'Session-Vault'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Whether a method changes state. */
export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase())
}

/**
 * Why a state-changing request must be refused as cross-site, or null:
 * `Sec-Fetch-Site` other than `same-origin`, or an `Origin` not allowed (`Origin: null` passes
 * only with `Sec-Fetch-Site: same-origin`).
 * Requests without either header (non-browser clients) pass this check.
 */
export function crossSiteReason(request: Request, allowedOrigins: string[] | null): WireError | null {
  const site = request.headers.get('sec-fetch-site')
  if (site !== null && site !== 'same-origin') return 'cross_site_request'
  const origin = request.headers.get('origin')
  // A same-origin form post from a page with `Referrer-Policy: no-referrer` carries `Origin: null`;
  // `Sec-Fetch-Site: same-origin` (which page script cannot set) vouches for it. Opaque origins
  // (sandboxed frames) are `cross-site` there, so they stay refused.
  if (origin === 'null' && site === 'same-origin') return null
  if (origin !== null) {
    const allowed = allowedOrigins ?? [new URL(request.url).origin]
    if (!allowed.includes(origin)) return 'cross_site_request'
  }
  return null
}

/** Whether the request carries `Session-Vault: 1`. */
export function hasSdkHeader(request: Request): boolean {
  return request.headers.get(SDK_HEADER) === '1'
}
