import { describe, expect, it } from 'vitest'
import { isTrustedUrl, normalizeOrigin, originOf } from './origin.js'

const trusted = ['http://127.0.0.1:8787', 'https://api.example.com']

describe('isTrustedUrl (exact origins only)', () => {
  it.each([
    'http://127.0.0.1:8787/api/me',
    'http://127.0.0.1:8787',
    'https://api.example.com/v1?x=1#y',
    'https://API.example.com:443/v1',
    'https://api.example.com/v1/../v2',
  ])('trusts %s', url => expect(isTrustedUrl(url, trusted)).toBe(true))

  it.each([
    ['port prefix', 'http://127.0.0.1:87871/api'],
    ['port suffix', 'http://127.0.0.1:878/api'],
    ['other scheme', 'https://127.0.0.1:8787/api'],
    ['default port', 'http://127.0.0.1/api'],
    ['userinfo trick', 'https://api.example.com@evil.example/'],
    ['userinfo with port trick', 'http://127.0.0.1:8787@evil.example/'],
    ['suffix domain', 'https://api.example.com.evil.example/'],
    ['trailing dot host', 'https://api.example.com./v1'],
    ['subdomain', 'https://x.api.example.com/'],
    ['parent domain', 'https://example.com/'],
    ['relative', '/api/me'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/plain,hi'],
    ['blob of a trusted origin', 'blob:http://127.0.0.1:8787/1234'],
    ['garbage', 'http://[::1'],
  ])('rejects %s', (_, url) => expect(isTrustedUrl(url, trusted)).toBe(false))

  it('treats an IPv4 trailing dot as the same host (the URL parser drops it)', () => {
    expect(originOf('http://127.0.0.1.:8787/')).toBe('http://127.0.0.1:8787')
  })
})

describe('normalizeOrigin', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['https://api.example.com/', 'https://api.example.com'],
    ['https://API.Example.com:443', 'https://api.example.com'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
  ])('%s -> %s', (input, origin) => expect(normalizeOrigin(input, 'trustedOrigins[0]')).toBe(origin))

  it.each([
    'https://*.example.com',
    'https://api.example.com/v1',
    'https://api.example.com?x',
    'https://api.example.com#x',
    'https://user:pw@api.example.com',
    'ftp://api.example.com',
    'api.example.com',
    '',
    'null',
  ])('rejects %s', input => expect(() => normalizeOrigin(input, 'trustedOrigins[1]')).toThrow(/trustedOrigins\[1\]/))
})
