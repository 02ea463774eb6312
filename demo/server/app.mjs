import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sendWebResponse } from './reference/auth-http.mjs';
import { HttpError, ResponseAnswer, sendJson } from './http/http-util.mjs';
import { createRouter } from './http/router.mjs';
import { addApiRoutes } from './reference/routes/api.mjs';
import { authRoute } from './reference/routes/auth.mjs';
import { addClassicRoutes, isClassicWirePath } from './reference/routes/classic.mjs';
import { addCspReportRoute } from './reference/routes/csp-report.mjs';
import { addSessionRoutes } from './reference/routes/sessions.mjs';
import { addStaticRoutes } from './reference/routes/static.mjs';
import { addTestSupportRoutes, createTestSupport } from './test-support/routes.mjs';
import { addSdkTestSupportRoutes } from './test-support/sdk-routes.mjs';
import { createSecondOriginServer } from './test-support/second-origin.mjs';
import { applyBaseHeaders, applyNoStore } from './http/security-headers.mjs';
import { createState } from './test-support/state.mjs';

export { DEMO_USERS } from './reference/users.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function buildRouter({ root, test }) {
  const router = createRouter();
  // Every /auth/* path goes to session-vault/server (token mode), which answers 404 for paths it does not own.
  router.add(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], '/auth/*', authRoute);
  addApiRoutes(router);
  addSessionRoutes(router);
  addCspReportRoute(router);
  addClassicRoutes(router, { root, test });
  addStaticRoutes(router, { root, test });
  if (test) {
    addTestSupportRoutes(router);
    addSdkTestSupportRoutes(router);
  }
  return router;
}

function isUnder(path, prefix) {
  return path === prefix || path.startsWith(prefix + '/');
}

function parseTarget(target) {
  try {
    return new URL(`http://localhost${target.startsWith('/') ? '' : '/'}${target}`);
  } catch {
    return null;
  }
}

function createHandler(state, router) {
  return async (req, res) => {
    applyBaseHeaders(res);
    const url = parseTarget(req.url);
    if (!url) return sendJson(res, 400, { error: 'invalid_request' });
    const path = url.pathname;
    const isApi = isUnder(path, '/api');
    if (state.outage && (isApi || isUnder(path, '/auth') || isClassicWirePath(path))) return void req.socket.destroy();
    if (isApi || isUnder(path, '/auth') || isUnder(path, '/test') || isUnder(path, '/classic')) applyNoStore(res);
    if (isApi) state.counters.api++;
    try {
      const { handler, params } = router.match(req.method, path);
      await handler({ req, res, params, url, state });
    } catch (error) {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.code }, error.headers);
      if (error instanceof ResponseAnswer) return sendWebResponse(res, error.response);
      process.stderr.write(`session-vault demo: internal error on ${req.method} ${path}: ${error?.stack ?? error}\n`);
      sendJson(res, 500, { error: 'server_error' });
    }
  };
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

function isOrigin(value) {
  try {
    return typeof value === 'string' && new URL(value).origin === value;
  } catch {
    return false;
  }
}

function originOf(host, port) {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function closeServer(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Start the reference server (and, in test mode, the second origin).
 * Lifetimes are in seconds (decimals allowed).
 * @param {{
 *   host?: string, port?: number, test?: boolean, secondPort?: number, quiet?: boolean,
 *   accessTokenTtl?: number, idleTimeout?: number, absoluteTimeout?: number, refreshTokenTtl?: number,
 *   root?: string, throttle?: object, trustedOrigins?: string[], redisUrl?: string | null,
 * }} [opts] port 0 = ephemeral; secondPort (test mode) defaults to ephemeral; quiet silences
 *   the lifecycle log (honoured only in test mode); root = repository root for static files;
 *   throttle = brute-force limits (see THROTTLE_DEFAULTS in session-machinery.mjs); trustedOrigins =
 *   origins besides the server's own in the worker script's `connect-src`; redisUrl = keep the
 *   sessions in Redis (session-vault/server's redisStore) instead of in memory
 * @returns {Promise<{ url: string, secondUrl?: string, close(): Promise<void> }>}
 */
export async function startServer(opts = {}) {
  const {
    host = '127.0.0.1',
    port = 8787,
    test = false,
    secondPort = 0,
    quiet = false,
    accessTokenTtl = 300,
    idleTimeout = 900,
    absoluteTimeout = 28800,
    refreshTokenTtl = 86400,
    root = REPO_ROOT,
    throttle = {},
    trustedOrigins = [],
    redisUrl = null,
  } = opts;
  if (redisUrl !== null && !/^rediss?:\/\//.test(String(redisUrl))) throw new TypeError('redisUrl: not a redis:// or rediss:// URL');
  for (const origin of trustedOrigins) {
    if (!isOrigin(origin)) throw new TypeError(`trustedOrigins: not an origin: ${JSON.stringify(origin)}`);
  }
  const state = await createState({
    test,
    quiet: test && quiet,
    lifetimes: { accessTokenTtl, idleTimeout, absoluteTimeout, refreshTokenTtl },
    throttle,
    trustedOrigins,
    redisUrl,
    testSupport: test ? createTestSupport() : null,
  });
  const servers = [createServer(createHandler(state, buildRouter({ root, test })))];
  if (test) servers.push(createSecondOriginServer(state.secondOriginLog));
  for (const server of servers) server.headersTimeout = 30_000;

  let ports;
  try {
    ports = [await listen(servers[0], port, host)];
    if (test) ports.push(await listen(servers[1], secondPort, host));
  } catch (error) {
    await Promise.all(servers.filter((s) => s.listening).map(closeServer));
    await state.close();
    throw error;
  }

  let closing;
  return {
    url: `${originOf(host, ports[0])}/`,
    ...(test && { secondUrl: `${originOf(host, ports[1])}/` }),
    close() {
      closing ??= (async () => {
        await Promise.all(servers.map(closeServer));
        await state.close();
      })();
      return closing;
    },
  };
}
