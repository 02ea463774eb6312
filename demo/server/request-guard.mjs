/** The header every call of the vault to an auth endpoint carries (DESIGN.md, "Contract additions"). */
export const SESSION_VAULT_HEADER = 'session-vault';

/**
 * The origin the browser addressed this server by: `http://` + the Host
 * header (the reference server speaks plain HTTP); null when Host is missing
 * or not a plain host[:port].
 * @param {import('node:http').IncomingMessage} req
 */
export function ownOrigin(req) {
  const host = req.headers.host ?? '';
  return /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(host) ? `http://${host.toLowerCase()}` : null;
}

/**
 * Why a request to a reserved endpoint (`/auth/*`) must be refused, or null
 * when it may go on:
 * - `cross_site`: `Sec-Fetch-Site` is present and not `same-origin` (a form,
 *   link or script of another origin, same-site ones included);
 * - `origin_mismatch`: an `Origin` header that is not this server's own origin
 *   (`null` included: opaque origins, cross-origin redirects);
 * - `missing_header`: no `Session-Vault: 1`. A cross-site form cannot send a
 *   custom header, a cross-site script cannot without a preflight this server
 *   never answers, and a same-origin redirect of a `session.fetch()` into an
 *   auth endpoint does not carry it (only the vault's own auth calls do).
 * Requests without Fetch Metadata or `Origin` (non-browser clients) pass on
 * the header alone: they are nobody's confused deputy.
 * @param {import('node:http').IncomingMessage} req
 * @returns {null | 'cross_site' | 'origin_mismatch' | 'missing_header'}
 */
export function refusalReason(req) {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'cross_site';
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ownOrigin(req)) return 'origin_mismatch';
  if (req.headers[SESSION_VAULT_HEADER] !== '1') return 'missing_header';
  return null;
}

/**
 * What the logs say about the client of a request: the source address (the
 * socket's; this server does not trust X-Forwarded-For) and the user agent.
 * @param {import('node:http').IncomingMessage} req
 */
export function clientFields(req) {
  return { ip: req.socket?.remoteAddress ?? null, ua: String(req.headers['user-agent'] ?? '').slice(0, 256) };
}
