import { describe, expect, it } from 'vitest'
import { endpointKey, endpointMatcher } from './endpoint.js'

const isReserved = endpointMatcher([
  'http://127.0.0.1:8787/auth/refresh',
  undefined,
  'http://127.0.0.1:8787/auth/logout',
])

describe('endpointMatcher (the reserved-URL check)', () => {
  it.each([
    'http://127.0.0.1:8787/auth/refresh',
    'http://127.0.0.1:8787/auth/refresh?x=1#y',
    'http://127.0.0.1:8787/auth/refresh/',
    'http://127.0.0.1:8787/AUTH/Refresh',
    'http://127.0.0.1:8787/auth/%72efresh',
    'http://127.0.0.1:8787/auth//refresh',
    'http://127.0.0.1:8787/auth/./refresh',
    'http://127.0.0.1:8787/x/../auth/logout',
  ])('matches the lenient-router variant %s', url => {
    expect(isReserved(url)).toBe(true)
  })

  it.each([
    'http://127.0.0.1:8787/auth/refresh-token',
    'http://127.0.0.1:8787/auth',
    'http://127.0.0.1:8788/auth/refresh',
    'https://127.0.0.1:8787/auth/refresh',
    'http://127.0.0.1:8787/api/notes',
  ])('does not match %s', url => {
    expect(isReserved(url)).toBe(false)
  })

  it('keeps a path whose escapes do not decode', () => {
    expect(endpointKey('http://a.example/%E0%A4%A')).toBe('http://a.example/%e0%a4%a')
  })
})
