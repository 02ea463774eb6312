import { join } from 'node:path'
import { HttpError, ownOrigin, sendEmpty, sendJson } from '../../http/http-util.mjs'
import { isVaultWorkerFile, workerCsp } from '../../http/security-headers.mjs'
import { resolveInside, sendFile } from '../../http/static-files.mjs'

/** How long browsers may keep the (empty) favicon answer, seconds. */
const FAVICON_MAX_AGE = 86_400

/**
 * The apps of demo/bundlers and the Trusted Types policies their pages may create besides the SDK's:
 * webpack's chunk loader sets a script's src through a policy of its own (output.trustedTypes,
 * demo/bundlers/webpack.mjs); esbuild and Rollup load chunks with import(), no sink.
 * @type {ReadonlyArray<[string, string[]]>}
 */
const BUNDLER_POLICIES = [
  ['webpack', ['webpack']],
  ['esbuild', []],
  ['rollup', []],
]

/** The longest the SPA's warning opens ahead of the idle deadline, ms. */
const MAX_WARN_BEFORE_MS = 60_000

/**
 * Where the vault of a request's page may connect: the `connect-src` sources of the worker script.
 * @typedef {(req: import('node:http').IncomingMessage, state: import('../app.mjs').ReferenceState) => string[]} ConnectSrc
 */

/**
 * Where the vault may connect: this server's own origin (as the browser
 * addressed it) and the configured `trustedOrigins`.
 * @type {ConnectSrc}
 */
export function standardConnectSrc(req, state) {
  return [...new Set([ownOrigin(req) ?? "'self'", ...state.trustedOrigins])]
}

/**
 * A route handler serving the files under the first of `dirs` that has the
 * requested one (`params.rest`); a build of the vault's worker gets the
 * worker CSP. 404 when none has it. No listings, no traversal, no dot-files.
 * @param {string[]} dirs absolute directories
 * @param {{ filter?: (file: string) => boolean, connectSrc?: ConnectSrc }} [opts] filter: which files may be served
 * @returns {(ctx: import('../app.mjs').RouteContext) => Promise<void>}
 */
export function serveFiles(dirs, { filter = () => true, connectSrc = standardConnectSrc } = {}) {
  return async ({ req, res, params, state }) => {
    for (const dir of dirs) {
      const file = resolveInside(dir, params.rest ?? '')
      const worker = file !== null && isVaultWorkerFile(file)
      if (worker) res.setHeader('Content-Security-Policy', workerCsp(connectSrc(req, state)))
      if (await sendFile(req, res, file && filter(file) ? file : null)) return
      if (worker) res.removeHeader('Content-Security-Policy')
    }
    throw new HttpError(404, 'not_found')
  }
}

/**
 * Static files: the SPA, the built SDK under /assets, demo builds under /app,
 * /vite, /react and /vue, and the bundler builds under /webpack, /esbuild and /rollup.
 * @param {import('../../http/router.mjs').Router<import('../app.mjs').RouteContext>} router
 * @param {{ root: string, connectSrc?: ConnectSrc }} opts root: the repository root;
 *   connectSrc: where the vault may connect (default: `standardConnectSrc`)
 */
export function addStaticRoutes(router, { root, connectSrc = standardConnectSrc }) {
  const spa = join(root, 'demo', 'spa')
  const vite = join(root, 'demo', 'vite-spa', 'dist')
  /** @param {string} file @param {string[]} [policies] Trusted Types policies besides the SDK's */
  const page =
    (file, policies = []) =>
    async (/** @type {import('../app.mjs').RouteContext} */ { req, res }) => {
      if (!(await sendFile(req, res, file, policies))) throw new HttpError(404, 'not_found')
    }

  router.add('GET', '/app/config.json', ({ res, state }) => sendJson(res, 200, demoConfig(state.settings)))
  router.add('GET', '/favicon.ico', ({ res }) => sendEmpty(res, 204, { 'Cache-Control': `max-age=${FAVICON_MAX_AGE}` }))
  router.add('GET', '/', page(join(spa, 'index.html')))
  router.add('GET', '/index.html', page(join(spa, 'index.html')))
  router.add('GET', '/assets/*', serveFiles([join(root, 'dist')], { connectSrc }))
  router.add('GET', '/app/*', serveFiles([join(root, 'demo', 'build'), spa], { connectSrc }))
  router.add('GET', '/vite/', page(join(vite, 'index.html')))
  router.add('GET', '/vite/*', serveFiles([vite], { connectSrc }))
  for (const framework of ['react', 'vue']) {
    const built = join(root, 'demo', `${framework}-spa`, 'dist')
    // Vue's runtime makes a Trusted Types policy of its own (for v-html and static content): the page names it.
    router.add('GET', `/${framework}/`, page(join(built, 'index.html'), framework === 'vue' ? ['vue'] : []))
    router.add('GET', `/${framework}/*`, serveFiles([built], { connectSrc }))
  }
  for (const [bundler, policies] of BUNDLER_POLICIES) {
    const built = join(root, 'demo', 'bundlers', 'dist', bundler)
    router.add('GET', `/${bundler}/`, page(join(built, 'index.html'), policies))
    // The page only at /<bundler>/, where it has its CSP (with its bundler's policy).
    router.add('GET', `/${bundler}/*`, serveFiles([built], { connectSrc, filter: file => !file.endsWith('.html') }))
  }
}

/**
 * The demo SPA's idle settings, in step with the server's own lifetimes: the
 * client's idle timeout equals the server's, the warning opens a quarter of it
 * (at most a minute) ahead, and the absolute timeout is the server's.
 * @param {{ idleTimeout: number, absoluteTimeout: number }} settings seconds
 */
function demoConfig({ idleTimeout, absoluteTimeout }) {
  const timeout = Math.round(idleTimeout * 1000)
  return {
    idle: {
      timeout,
      warnBefore: Math.min(MAX_WARN_BEFORE_MS, Math.round(timeout / 4)),
      absoluteTimeout: Math.max(timeout, Math.round(absoluteTimeout * 1000)),
    },
  }
}
