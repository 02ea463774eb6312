import { ConfigError, optionsFromEnv } from './config.mjs'

/** Exit codes: cannot start (dist/ missing, port taken, Redis unreachable), bad environment. */
const EXIT_CANNOT_START = 1
const EXIT_BAD_CONFIG = 2

/** @type {typeof import('./app.mjs')} */
let app
try {
  app = await import('./app.mjs')
} catch (error) {
  const missing = error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND'
  if (!(missing && error.message.includes('dist'))) throw error
  process.stderr.write(
    'session-vault demo: dist/server/index.js is missing: run `npm run build` first (`npm run demo` does)\n',
  )
  process.exit(EXIT_CANNOT_START)
}
const { startServer, DEMO_USERS } = app

let options
try {
  options = optionsFromEnv(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`session-vault demo: ${error.message}\n`)
  process.exit(EXIT_BAD_CONFIG)
}

let server
try {
  server = await startServer(options)
} catch (error) {
  process.stderr.write(`session-vault demo: cannot start: ${error instanceof Error ? error.message : error}\n`)
  process.exit(EXIT_CANNOT_START)
}

process.stdout.write(`session-vault demo: ${server.url}\n`)
process.stdout.write(`sessions: ${options.redisUrl ? 'in Redis (REDIS_URL)' : 'in memory'}\n`)
process.stdout.write(`demo users: ${DEMO_USERS.map(u => `${u.username} / ${u.password}`).join(', ')}\n`)
if (options.test) process.stdout.write(`test support is ON (/test/* routes; second origin ${server.secondUrl})\n`)

/** @param {NodeJS.Signals} signal */
const stop = async signal => {
  process.stdout.write(`session-vault demo: ${signal}, closing\n`)
  await server.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
