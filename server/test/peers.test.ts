import { describe, expect, it } from 'vitest'
import { requirePeer } from '../adapters/load-peer.js'
import { importPeer } from '../core/errors.js'
import { createSessionServer, MissingPeerError, redisStore, SessionServerError } from '../index.js'

describe('optional peers and options', () => {
  it('a missing peer fails at once with an error naming the package', async () => {
    expect(() => requirePeer('session-vault-no-such-express', 'expressRouter')).toThrow(MissingPeerError)
    try {
      requirePeer('session-vault-no-such-express', 'expressRouter')
    } catch (error) {
      expect((error as MissingPeerError).code).toBe('ERR_MISSING_PEER')
      expect((error as Error).message).toContain('npm install session-vault-no-such-express')
    }
    await expect(
      importPeer('session-vault-no-such-redis', 'redisStore', () => import('session-vault-no-such-redis' as string)),
    ).rejects.toMatchObject({
      code: 'ERR_MISSING_PEER',
      packageName: 'session-vault-no-such-redis',
    })
  })

  it('bad options are ERR_BAD_OPTIONS', () => {
    const verifyCredentials = () => null
    for (const bad of [
      { mode: 'jwt', verifyCredentials },
      { mode: 'token' },
      { mode: 'token', verifyCredentials, idleTimeout: -1 },
      { mode: 'token', verifyCredentials, paths: { login: 'auth/login' } },
      { mode: 'token', verifyCredentials, paths: { login: '/auth/refresh' } },
      { mode: 'token', verifyCredentials, allowedOrigins: ['https://app.example/path'] },
    ]) {
      expect(() => createSessionServer(bad as never), JSON.stringify(bad)).toThrow(SessionServerError)
    }
    expect(() => redisStore({ url: 'http://localhost' })).toThrow(/redis:\/\//)
  })
})
