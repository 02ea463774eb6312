// Attack tests of the password change (issue 16, item 3). scrypt is gated so
// the races are exact, not timing luck: a test holds chosen password
// derivations and releases them in the order the attack needs.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const gate = vi.hoisted(() => ({
  /** Passwords whose derivation is held until released. */
  hold: new Set<string>(),
  held: [] as Array<{ password: string; run: () => void }>,
}))

vi.mock('node:crypto', async importOriginal => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  const scrypt = (password: unknown, salt: unknown, keylen: number, ...rest: unknown[]) => {
    const run = () => (actual.scrypt as (...args: unknown[]) => void)(password, salt, keylen, ...rest)
    if (typeof password === 'string' && gate.hold.has(password)) gate.held.push({ password, run })
    else run()
  }
  return { ...actual, default: { ...actual, scrypt }, scrypt }
})

const { ALICE, classicLive, classicLogin, tokenLogin, useReferenceServer, whoAmI } = await import('./test-client.js')

// Generous: scrypt is CPU-bound and the CI machine is shared.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

const NEW_PASSWORD = 'a brand new password'
const server = useReferenceServer({ throttle: { accountFreeFailures: 1000, clientFreeFailures: 1000 } })

/** Wait until `n` derivations of `password` are held. */
async function heldCount(password: string, n: number) {
  await vi.waitFor(() => expect(gate.held.filter(h => h.password === password).length).toBeGreaterThanOrEqual(n), {
    timeout: 20_000,
  })
}

/** Release every held derivation of `password`. */
function release(password: string) {
  gate.hold.delete(password)
  const mine = gate.held.filter(h => h.password === password)
  gate.held = gate.held.filter(h => h.password !== password)
  for (const h of mine) h.run()
}

function changePassword(access: string | undefined, currentPassword = ALICE.password) {
  return fetch(`${server.origin}/api/password`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ currentPassword, newPassword: NEW_PASSWORD }),
  })
}

beforeEach(() => {
  gate.hold.clear()
  gate.held = []
})

describe('item 3: the password change is atomic', () => {
  it('token logins with the old password in flight during a change never become live sessions', async () => {
    const alice = await tokenLogin(server, ALICE)
    // The change checks the current password, then waits on the new hash.
    gate.hold.add(NEW_PASSWORD)
    const change = changePassword(alice.access)
    await heldCount(NEW_PASSWORD, 1)
    // Six logins with the old password start while the change is in flight; their checks are held too.
    gate.hold.add(ALICE.password)
    const logins = Array.from({ length: 6 }, () => tokenLogin(server, ALICE))
    await heldCount(ALICE.password, 6)
    // The change completes first, then the old-password checks finish.
    release(NEW_PASSWORD)
    expect((await change).status).toBe(200)
    release(ALICE.password)
    const results = await Promise.all(logins)
    const live = await Promise.all(
      results.map(async r => (r.access ? (await whoAmI(server, r.access)) === 'alice' : false)),
    )
    expect(live.filter(Boolean).length).toBe(0)
    expect(results.map(r => r.status)).toEqual([401, 401, 401, 401, 401, 401])
    // The new password works, the old one does not.
    expect((await tokenLogin(server, { username: 'alice', password: NEW_PASSWORD })).status).toBe(200)
    expect((await tokenLogin(server, ALICE)).status).toBe(401)
  })

  it('classic logins with the old password in flight during a change never become live sessions', async () => {
    const alice = await tokenLogin(server, ALICE)
    gate.hold.add(NEW_PASSWORD)
    const change = changePassword(alice.access)
    await heldCount(NEW_PASSWORD, 1)
    gate.hold.add(ALICE.password)
    const logins = Array.from({ length: 5 }, () => classicLogin(server, ALICE))
    await heldCount(ALICE.password, 5)
    release(NEW_PASSWORD)
    expect((await change).status).toBe(200)
    release(ALICE.password)
    const results = await Promise.all(logins)
    const live = await Promise.all(results.map(r => (r.session ? classicLive(server, r.session) : false)))
    expect(live.filter(Boolean).length).toBe(0)
    expect(results.map(r => r.location)).toEqual(Array(5).fill('/classic/login?error=1'))
  })

  it('logins checked before the swap but finished before it are ended by it', async () => {
    const alice = await tokenLogin(server, ALICE)
    gate.hold.add(NEW_PASSWORD)
    const change = changePassword(alice.access)
    await heldCount(NEW_PASSWORD, 1)
    const early = await tokenLogin(server, ALICE)
    expect(early.status).toBe(200)
    release(NEW_PASSWORD)
    expect((await change).status).toBe(200)
    expect(await whoAmI(server, early.access)).toBe(401)
  })

  it('a session revoked while its password change awaits scrypt cannot complete the change', async () => {
    // The attacker holds a stolen session; the victim signs in elsewhere.
    const attacker = await tokenLogin(server, ALICE)
    const victim = await tokenLogin(server, ALICE)
    const sessions = (await (
      await fetch(`${server.origin}/api/sessions`, { headers: { Authorization: `Bearer ${victim.access}` } })
    ).json()) as {
      sessions: Array<{ handle: string; current: boolean }>
    }
    const attackerHandle = sessions.sessions.find(s => !s.current)!.handle
    // The attacker (who phished the current password) starts a change; it passes the current-password check...
    gate.hold.add(NEW_PASSWORD)
    const change = changePassword(attacker.access)
    await heldCount(NEW_PASSWORD, 1)
    // ...and while the new hash is computed the victim signs the attacker's session out.
    const revoke = await fetch(`${server.origin}/api/sessions/${encodeURIComponent(attackerHandle)}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${victim.access}` },
    })
    expect(revoke.status).toBe(200)
    release(NEW_PASSWORD)
    const answer = await change
    expect(answer.status).toBe(401)
    expect(answer.headers.getSetCookie()).toEqual([])
    // Nothing changed: the victim keeps the password and the session, the attacker has nothing.
    expect(await whoAmI(server, victim.access)).toBe('alice')
    expect(await whoAmI(server, attacker.access)).toBe(401)
    expect((await tokenLogin(server, ALICE)).status).toBe(200)
    expect((await tokenLogin(server, { username: 'alice', password: NEW_PASSWORD })).status).toBe(401)
  })

  it('two concurrent changes: one wins, the other is refused', async () => {
    const alice = await tokenLogin(server, ALICE)
    const other = await tokenLogin(server, ALICE)
    gate.hold.add(NEW_PASSWORD)
    const first = changePassword(alice.access)
    const second = changePassword(other.access)
    await heldCount(NEW_PASSWORD, 2)
    release(NEW_PASSWORD)
    const statuses = [(await first).status, (await second).status].sort()
    expect(statuses[0]).toBe(200)
    expect([401, 409]).toContain(statuses[1])
  })
})
