import { describe, expect, it } from 'vitest'
import { type BodyLimits, canTransferStreams, receiveBody, sendBody } from './body-stream.js'
import { isSessionVaultError, SessionVaultError } from './errors.js'

/** A network body fed by hand: `push` a chunk, `finish`, `fail`; records how far it was read and whether it was cancelled. */
function network() {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  const state = { pulls: 0, cancelled: false as unknown }
  const body = new ReadableStream<Uint8Array>(
    {
      start: c => void (controller = c),
      pull: () => void state.pulls++,
      cancel: reason => void (state.cancelled = reason ?? true),
    },
    { highWaterMark: 0 },
  )
  return {
    body,
    state,
    push: (text: string) => controller.enqueue(new TextEncoder().encode(text)),
    finish: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
  }
}

function limits(overrides: Partial<BodyLimits> = {}) {
  const seen = { ended: 0 }
  return { seen, limits: { maxBytes: 1_000, end: () => void seen.ended++, reason: (e: unknown) => e, ...overrides } }
}

const decode = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk)
const tick = () => new Promise(resolve => setTimeout(resolve, 5))

describe.each([
  ['a transferred stream', true],
  ['chunks over a MessagePort', false],
])('a streamed body through %s', (_, transfer) => {
  it('hands each chunk over as it arrives, before the network body ends', async () => {
    const net = network()
    const { seen, limits: l } = limits()
    const reader = receiveBody(sendBody(net.body, l, transfer)).getReader()
    net.push('first')
    expect(decode((await reader.read()).value)).toBe('first')
    net.push('second')
    expect(decode((await reader.read()).value)).toBe('second')
    expect(seen.ended).toBe(0)
    net.finish()
    expect((await reader.read()).done).toBe(true)
    expect(seen.ended).toBe(1)
  })

  it('cancelling the page reader cancels the network body and ends the request once', async () => {
    const net = network()
    const { seen, limits: l } = limits()
    const reader = receiveBody(sendBody(net.body, l, transfer)).getReader()
    net.push('one')
    await reader.read()
    await reader.cancel('not needed')
    await tick()
    expect(net.state.cancelled).toBeTruthy()
    expect(seen.ended).toBe(1)
  })

  it('an abort signal errors the page body with its reason and stops the network body', async () => {
    const net = network()
    const { limits: l } = limits()
    const controller = new AbortController()
    const reader = receiveBody(sendBody(net.body, l, transfer), controller.signal).getReader()
    const pending = reader.read()
    const reason = new DOMException('stop', 'AbortError')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    await tick()
    expect(net.state.cancelled).toBeTruthy()
  })

  it("more than maxBytes errors the page body with ERR_BODY_TOO_LARGE and cancels the network's", async () => {
    const net = network()
    const { seen, limits: l } = limits({ maxBytes: 8 })
    const reader = receiveBody(sendBody(net.body, l, transfer)).getReader()
    net.push('12345')
    await reader.read()
    net.push('67890')
    const error = await reader.read().catch((e: unknown) => e)
    expect(isSessionVaultError(error, 'ERR_BODY_TOO_LARGE')).toBe(true)
    expect(net.state.cancelled).toBeTruthy()
    expect(seen.ended).toBe(1)
  })

  it("a network failure reaches the page as the request's reason, typed again on this side", async () => {
    const net = network()
    const ended = new SessionVaultError('ERR_SESSION_ENDED', 'The session has ended')
    const { limits: l } = limits({ reason: () => ended })
    const reader = receiveBody(sendBody(net.body, l, transfer)).getReader()
    net.fail(new TypeError('network error'))
    const error = await reader.read().catch((e: unknown) => e)
    expect(isSessionVaultError(error, 'ERR_SESSION_ENDED')).toBe(true)
    expect((error as Error).message).toBe('The session has ended')
  })
})

it.each([true, false])(
  'a body whose vault stops fails with that error instead of hanging (transfer: %s)',
  async transfer => {
    const net = network()
    const { limits: l } = limits()
    let stop!: (error: Error) => void
    const closed = new Promise<never>((_, reject) => (stop = reject))
    const reader = receiveBody(sendBody(net.body, l, transfer), undefined, closed).getReader()
    const pending = reader.read()
    const crashed = new SessionVaultError('ERR_VAULT_CRASHED', 'The vault worker stopped answering')
    stop(crashed)
    await expect(pending).rejects.toBe(crashed)
  },
)

describe('credit over a MessagePort', () => {
  it('the vault reads from the network only as far as the page asked, plus a bounded read-ahead', async () => {
    let produced = 0
    const endless = new ReadableStream<Uint8Array>(
      { pull: controller => controller.enqueue(new Uint8Array(1024).fill(produced++ % 256)) },
      { highWaterMark: 0 },
    )
    const { limits: l } = limits({ maxBytes: 1e9 })
    const body = receiveBody(sendBody(endless, l, false))
    await tick()
    expect(produced, 'nothing read before the page reads').toBe(0)
    const reader = body.getReader()
    for (let i = 0; i < 5; i++) expect((await reader.read()).value?.[0]).toBe(i)
    await tick()
    // Five taken by the page, at most two more in flight: an endless body is never read ahead of its reader.
    expect(produced).toBeGreaterThanOrEqual(5)
    expect(produced).toBeLessThanOrEqual(5 + 2)
    await reader.cancel()
  })

  it('a malformed chunk message fails the body instead of handing over garbage', async () => {
    const { port1, port2 } = new MessageChannel()
    port1.onmessage = () => port1.postMessage({ chunk: 'not bytes' })
    const error = await receiveBody({ port: port2 })
      .getReader()
      .read()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    port1.close()
  })
})

it('this runtime can transfer streams (so both transports are exercised above)', () => {
  expect(canTransferStreams()).toBe(true)
})
