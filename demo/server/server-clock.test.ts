// Test mode's server clock switch (/test/clock, issue 11 item 1): the session servers report every
// epoch time and their Date on a clock set off the real one; relative fields can be left out.
import { describe, expect, it } from 'vitest'
import { ALICE, classicLogin, resetServer, type Server, sameOrigin, useReferenceServer } from './test-client.js'

const server = useReferenceServer()
const MINUTE = 60_000

async function setClock(target: Server, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${target.origin}/test/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** A token-mode login: its Date (epoch ms) and its body's deadline fields; the tokens stay here. */
async function login() {
  const response = await fetch(`${server.origin}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...sameOrigin(server.origin) },
    body: JSON.stringify(ALICE),
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as Record<string, unknown>
  const { idleExpiresAt, absoluteExpiresAt, idleExpiresIn, absoluteExpiresIn } = body
  return {
    date: Date.parse(response.headers.get('Date') ?? ''),
    deadlines: { idleExpiresAt, absoluteExpiresAt, idleExpiresIn, absoluteExpiresIn },
  }
}

describe('/test/clock', () => {
  it.each([20 * MINUTE, -20 * MINUTE])('offset %d ms: epoch deadlines and Date on the offset clock', async offset => {
    expect((await setClock(server, { offsetMs: offset })).status).toBe(200)
    const before = Date.now()
    const { date, deadlines } = await login()
    expect(Math.abs(date - (before + offset))).toBeLessThan(2_000)
    expect(Math.abs((deadlines.idleExpiresAt as number) - (before + offset + 900_000))).toBeLessThan(2_000)
    expect(deadlines.idleExpiresIn, 'relative fields need no clock').toBe(900)
    const page = await fetch(`${server.origin}/`)
    await page.arrayBuffer()
    expect(Math.abs(Date.parse(page.headers.get('Date') ?? '') - (before + offset)), 'every answer').toBeLessThan(2_000)
  })

  it('relative: false leaves out the relative fields, in token and cookie mode', async () => {
    expect((await setClock(server, { offsetMs: -20 * MINUTE, relative: false })).status).toBe(200)
    const { deadlines } = await login()
    expect(deadlines.idleExpiresIn).toBeUndefined()
    expect(deadlines.absoluteExpiresIn).toBeUndefined()
    expect(deadlines.idleExpiresAt).toEqual(expect.any(Number))
    const { session } = await classicLogin(server)
    const answer = await fetch(`${server.origin}/classic/session`, { headers: { Cookie: `__Host-sv_s=${session}` } })
    const body = (await answer.json()) as Record<string, unknown>
    expect(body.authenticated, 'the session lives: the store sweeps on the same clock').toBe(true)
    expect(body.idleExpiresIn).toBeUndefined()
    expect(Math.abs((body.idleExpiresAt as number) - (Date.now() - 20 * MINUTE + 900_000))).toBeLessThan(2_000)
  })

  it('/test/reset puts the real clock back; bad bodies are refused', async () => {
    await setClock(server, { offsetMs: 20 * MINUTE, relative: false })
    await resetServer(server)
    const { date, deadlines } = await login()
    expect(Math.abs(date - Date.now())).toBeLessThan(2_000)
    expect(deadlines.idleExpiresIn).toBe(900)
    for (const body of [{}, { offsetMs: '5' }, { offsetMs: 1e12 }, { offsetMs: 0, relative: 'no' }]) {
      expect((await setClock(server, body)).status).toBe(400)
    }
  })
})
