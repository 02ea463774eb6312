import { join } from 'node:path';
import { HttpError, ownOrigin, sendEmpty, sendJson } from '../../http/http-util.mjs';
import { isVaultWorkerFile, workerCsp } from '../../http/security-headers.mjs';
import { resolveInside, sendFile } from '../../http/static-files.mjs';

const E2E_TYPES = /\.(html|js|css|json)$/i;

/**
 * Static files: the SPA, the built SDK under /assets, demo builds under /app,
 * and (test mode only) e2e fixture pages under /e2e. No listings, no traversal.
 * @param {ReturnType<import('../../http/router.mjs').createRouter>} router
 * @param {{ root: string, test: boolean }} opts root: the repository root
 */
export function addStaticRoutes(router, { root, test }) {
  const spa = join(root, 'demo', 'spa');
  /** @param {string[]} dirs @param {(file: string) => boolean} [filter] */
  const serve = (dirs, filter = () => true) => async ({ req, res, params, state }) => {
    for (const dir of dirs) {
      const file = resolveInside(dir, params.rest);
      const worker = file !== null && isVaultWorkerFile(file);
      if (worker) res.setHeader('Content-Security-Policy', workerCsp(workerConnectSrc(req, state, test)));
      if (await sendFile(req, res, file && filter(file) ? file : null)) return;
      if (worker) res.removeHeader('Content-Security-Policy');
    }
    throw new HttpError(404, 'not_found');
  };
  const index = async ({ req, res }) => {
    if (!(await sendFile(req, res, join(spa, 'index.html')))) throw new HttpError(404, 'not_found');
  };

  router.add('GET', '/app/config.json', ({ res, state }) => sendJson(res, 200, demoConfig(state.settings)));
  router.add('GET', '/favicon.ico', ({ res }) => sendEmpty(res, 204, { 'Cache-Control': 'max-age=86400' }));
  router.add('GET', '/', index);
  router.add('GET', '/index.html', index);
  router.add('GET', '/assets/*', serve([join(root, 'dist')]));
  router.add('GET', '/app/*', serve([join(root, 'demo', 'build'), spa]));
  const vite = join(root, 'demo', 'vite-spa', 'dist');
  router.add('GET', '/vite/', async ({ req, res }) => {
    if (!(await sendFile(req, res, join(vite, 'index.html')))) throw new HttpError(404, 'not_found');
  });
  router.add('GET', '/vite/*', serve([vite]));
  if (test) router.add('GET', '/e2e/*', serve([join(root, 'e2e')], (file) => E2E_TYPES.test(file)));
}

/**
 * Where the vault may connect: this server's own origin (as the browser
 * addressed it) and the configured `trustedOrigins`. Test mode adds any port
 * of the server's own host (`http://127.0.0.1:*`): the OAuth specs run their
 * provider and resource server on free ports. Other hosts stay out, so the
 * worker-CSP test reaches the second origin as `http://localhost:<port>`.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ trustedOrigins: string[] }} state
 * @param {boolean} test
 */
function workerConnectSrc(req, state, test) {
  const own = ownOrigin(req);
  const origins = [own ?? "'self'", ...state.trustedOrigins];
  if (test && own) origins.push(`${own.replace(/:\d+$/, '')}:*`);
  return [...new Set(origins)];
}

/**
 * The demo SPA's idle settings, in step with the server's own lifetimes: the
 * client's idle timeout equals the server's, the warning opens a quarter of it
 * (at most a minute) ahead, and the absolute timeout is the server's.
 * @param {{ idleTimeout: number, absoluteTimeout: number }} settings seconds
 */
export function demoConfig({ idleTimeout, absoluteTimeout }) {
  const timeout = Math.round(idleTimeout * 1000);
  return {
    idle: {
      timeout,
      warnBefore: Math.min(60_000, Math.round(timeout / 4)),
      absoluteTimeout: Math.max(timeout, Math.round(absoluteTimeout * 1000)),
    },
  };
}
