/**
 * A decorator of the session store that remembers the session ids and the
 * hashes of access tokens it was given, so /test/expire-access can make every
 * access token issued so far fail (as if expired) and /test/revoke-all can
 * end every session.
 * @param {import('../reference/session-machinery.mjs').SessionStore} inner
 */
export function recordingStore(inner) {
  /** @type {Set<string>} */
  const sessionIds = new Set()
  /** @type {Map<string, number>} access-token hash → issue number */
  const accessIssued = new Map()
  let issuedCount = 0
  let expiredUpTo = 0
  /** @param {ReadonlyArray<{ kind: string, hash: string }>} tokens */
  const note = tokens => {
    for (const token of tokens) if (token.kind === 'access') accessIssued.set(token.hash, ++issuedCount)
  }
  /** @type {Partial<import('../reference/session-machinery.mjs').SessionStore>} */
  const overrides = {
    async create(input) {
      const result = await inner.create(input)
      if (result.status === 'ok') {
        sessionIds.add(input.session.id)
        note(input.tokens)
      }
      return result
    },
    async rotate(input) {
      const result = await inner.rotate(input)
      if (result.status === 'ok') note(input.tokens)
      return result
    },
    async lookup(input) {
      const issuedAs = accessIssued.get(input.hash) ?? Number.POSITIVE_INFINITY
      const expired = input.kind === 'access' && !input.allowExpiredToken && issuedAs <= expiredUpTo
      return expired ? { status: 'invalid' } : inner.lookup(input)
    },
  }
  const store = /** @type {import('../reference/session-machinery.mjs').SessionStore} */ (
    Object.assign(Object.create(inner), overrides)
  )
  return {
    store,
    /** Every access token issued so far fails from now on, as if expired (refresh, logout unaffected). */
    expireAccessTokens() {
      expiredUpTo = issuedCount
    },
    /** Ids of every session created through this store (live or not). */
    sessionIds: () => [...sessionIds],
  }
}
