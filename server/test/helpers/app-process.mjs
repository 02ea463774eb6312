// One server process for the multi-process tests and the load benchmark:
// the bundled library (env LIB) on node:http, token mode, Redis when REDIS_URL
// is set (memory otherwise), GET /api/me behind authenticate, and
// GET /test/counters (lifecycle events by name). Prints {"port":n} when listening.
import { createServer } from 'node:http'

const lib = await import(process.env.LIB)
const { createSessionServer, memoryStore, redisStore, nodeHandler, authenticateNode, sendWebResponse } = lib

const USERS = new Map(Array.from({ length: 2000 }, (_, i) => [`user${i}`, `pw-${i}`]))
const counters = {}
const store = process.env.REDIS_URL
  ? redisStore({ url: process.env.REDIS_URL, commandTimeout: Number(process.env.COMMAND_TIMEOUT ?? 1000) })
  : memoryStore({ maxSessions: 1_000_000, maxSessionsPerUser: 1000 })
const server = createSessionServer({
  mode: 'token',
  store,
  throttle: process.env.THROTTLE === '1' ? {} : false,
  idleTimeout: 900,
  logger: entry => {
    counters[entry.event] = (counters[entry.event] ?? 0) + 1
  },
  verifyCredentials: ({ username, password }) => (USERS.get(username) === password ? { id: username } : null),
})
const auth = nodeHandler(server)

const http = createServer(async (req, res) => {
  try {
    if (req.url === '/test/counters') {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      return void res.end(JSON.stringify({ pid: process.pid, counters }))
    }
    if (req.url === '/api/me') {
      const result = await authenticateNode(server, req)
      if (result instanceof Response) return void (await sendWebResponse(res, result))
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      return void res.end(JSON.stringify({ userId: result.userId, sessionId: result.sessionId, pid: process.pid }))
    }
    await auth(req, res)
  } catch (_error) {
    if (!res.headersSent) res.writeHead(500)
    res.end()
  }
})
http.keepAliveTimeout = 5000
if (store.ready) await store.ready
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: http.address().port, pid: process.pid })}\n`)
})
process.on('SIGTERM', () => {
  http.close(() => server.close().then(() => process.exit(0)))
  http.closeIdleConnections()
})
