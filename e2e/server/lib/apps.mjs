// An Express app and a Fastify app that mount session-vault/server (the
// esbuild bundle of server/index.ts), serve the SDK and the harness page, and
// protect /api/me with authenticate. One app per mode.

import { createServer } from 'node:http'
import express from 'express'
import Fastify from 'fastify'
import { buildServerLib } from './build.mjs'
import { staticFile } from './static.mjs'

const USERS = { alice: { password: 'correct horse', id: 'u-alice' }, bob: { password: 'battery staple', id: 'u-bob' } }

async function sessionServer(mode) {
  const lib = await import(await buildServerLib())
  const counters = {}
  const server = lib.createSessionServer({
    mode,
    logger: entry => void (counters[entry.event] = (counters[entry.event] ?? 0) + 1),
    verifyCredentials: ({ username, password }) => {
      const user = USERS[username]
      return user && user.password === password ? { id: user.id, claims: { name: username } } : null
    },
  })
  return { lib, server, counters }
}

/** @param {'token' | 'cookie'} mode */
export async function startExpressApp(mode) {
  const { lib, server, counters } = await sessionServer(mode)
  const app = express()
  app.use((req, _res, next) => {
    counters[`hit ${req.path}`] = (counters[`hit ${req.path}`] ?? 0) + 1
    next()
  })
  app.use(lib.expressRouter(server))
  app.all('/api/me', lib.expressAuthenticate(server), (req, res) => {
    res.set('Cache-Control', 'no-store').json({ ...res.locals.sessionVault, method: req.method })
  })
  app.get('/test/counters', (_req, res) => res.json(counters))
  app.get(/.*/, async (req, res, next) => {
    const file = await staticFile(req.path)
    if (!file) return next()
    res.set(file.headers).send(file.body)
  })
  const http = createServer(app)
  await new Promise(resolve => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${http.address().port}`,
    close: () =>
      new Promise(resolve => {
        http.closeAllConnections()
        http.close(resolve)
      }),
  }
}

/** @param {'token' | 'cookie'} mode */
export async function startFastifyApp(mode) {
  const { lib, server, counters } = await sessionServer(mode)
  const app = Fastify()
  app.addHook('onRequest', async request => {
    const path = request.url.split('?')[0]
    counters[`hit ${path}`] = (counters[`hit ${path}`] ?? 0) + 1
  })
  await app.register(lib.fastifyPlugin(server))
  app.route({
    method: ['GET', 'POST'],
    url: '/api/me',
    preHandler: lib.fastifyAuthenticate(server),
    handler: async (request, reply) =>
      reply.header('Cache-Control', 'no-store').send({ ...request.sessionVault, method: request.method }),
  })
  app.get('/test/counters', async () => counters)
  app.get('/*', async (request, reply) => {
    const file = await staticFile(request.url.split('?')[0])
    if (!file) return reply.code(404).send({ error: 'not_found' })
    return reply.headers(file.headers).send(file.body)
  })
  app.get('/', async (_request, reply) => {
    const file = await staticFile('/')
    return reply.headers(file.headers).send(file.body)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { url: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() }
}
