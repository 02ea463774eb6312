import { describe, expect, it } from 'vitest'
import { isSessionVaultError } from '../src/shared/errors.js'
import { parseTokenResponse, serverErrorCode } from './token-response.js'

const SECRET = 'tok_9f8e7d6c5b4a'

function rejects(text: string): string {
  try {
    parseTokenResponse(text)
  } catch (error) {
    expect(isSessionVaultError(error, 'ERR_TOKEN_RESPONSE')).toBe(true)
    expect((error as Error).message).not.toContain(SECRET)
    return (error as Error).message
  }
  throw new Error('expected ERR_TOKEN_RESPONSE')
}

describe('parseTokenResponse (RFC 6749 section 5.1)', () => {
  it('parses a full answer', () => {
    expect(
      parseTokenResponse(
        JSON.stringify({
          access_token: SECRET,
          token_type: 'Bearer',
          expires_in: 300,
          refresh_token: 'r1',
          scope: 'a b',
        }),
      ),
    ).toEqual({
      accessToken: SECRET,
      tokenType: 'Bearer',
      expiresIn: 300,
      refreshToken: 'r1',
      idToken: undefined,
      scope: 'a b',
    })
  })

  it('treats token_type case-insensitively and expires_in as optional', () => {
    expect(parseTokenResponse(JSON.stringify({ access_token: SECRET, token_type: 'bearer' }))).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: undefined,
    })
    expect(
      parseTokenResponse(JSON.stringify({ access_token: SECRET, token_type: 'BEARER', expires_in: '60' })).expiresIn,
    ).toBe(60)
  })

  it('accepts DPoP only when asked', () => {
    const text = JSON.stringify({ access_token: SECRET, token_type: 'DPoP', expires_in: 60 })
    expect(parseTokenResponse(text, ['dpop']).tokenType).toBe('DPoP')
    expect(rejects(text)).toMatch(/token_type/)
  })

  it.each([
    ['missing access_token', { token_type: 'Bearer' }, /access_token/],
    ['blank access_token', { access_token: '  ', token_type: 'Bearer' }, /access_token/],
    ['numeric access_token', { access_token: 42, token_type: 'Bearer' }, /access_token/],
    ['wrong token_type', { access_token: SECRET, token_type: 'mac' }, /token_type/],
    ['missing token_type', { access_token: SECRET }, /token_type/],
    ['non-numeric expires_in', { access_token: SECRET, token_type: 'Bearer', expires_in: 'soon' }, /expires_in/],
    ['negative expires_in', { access_token: SECRET, token_type: 'Bearer', expires_in: -1 }, /expires_in/],
    ['blank refresh_token', { access_token: SECRET, token_type: 'Bearer', refresh_token: '' }, /refresh_token/],
    [
      'a CR/LF in access_token',
      { access_token: `${SECRET}\r\nX-Evil: 1`, token_type: 'Bearer' },
      /access_token has characters/,
    ],
    ['a NUL in access_token', { access_token: `${SECRET}\u0000`, token_type: 'Bearer' }, /access_token has characters/],
    [
      'non-Latin-1 access_token',
      { access_token: `${SECRET}\u20ac`, token_type: 'Bearer' },
      /access_token has characters/,
    ],
  ])('rejects %s without echoing the token', (_, body, message) => {
    expect(rejects(JSON.stringify(body))).toMatch(message)
  })

  it.each([['<html>oops'], ['[]'], ['null'], ['"str"'], ['']])('rejects non-object %j', text => {
    expect(rejects(text)).toMatch(/JSON/)
  })
})

describe('serverErrorCode', () => {
  it('returns a safe OAuth error code only', () => {
    expect(serverErrorCode('{"error":"invalid_grant"}')).toBe('invalid_grant')
    expect(serverErrorCode(`{"error":"bad token ${SECRET} <script>"}`)).toBeUndefined()
    expect(serverErrorCode('nope')).toBeUndefined()
  })
})
