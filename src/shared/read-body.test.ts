import { describe, expect, it } from 'vitest'
import { deadline, readBody } from './read-body.js'

/** A body of `chunks` chunks of `size` bytes (endless when chunks is Infinity); records whether it was cancelled. */
function stream(size: number, chunks: number, headers: Record<string, string> = {}) {
  let sent = 0
  const state = { cancelled: false }
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) return controller.close()
      controller.enqueue(new Uint8Array(size).fill(7))
    },
    cancel() {
      state.cancelled = true
    },
  })
  return { response: new Response(body, { headers }), state }
}

describe('readBody', () => {
  it('reads a body up to the limit whole', async () => {
    const { response } = stream(1000, 4)
    const body = await readBody(response, 4000)
    expect(body!.byteLength).toBe(4000)
    expect(new Uint8Array(body!)[3999]).toBe(7)
  })

  it('null for a null body', async () => {
    expect(await readBody(new Response(null, { status: 204 }), 10)).toBeNull()
  })

  it('an endless body: ERR_BODY_TOO_LARGE once past the limit, and the stream is cancelled', async () => {
    const { response, state } = stream(1000, Infinity)
    await expect(readBody(response, 10_000)).rejects.toMatchObject({
      name: 'SessionVaultError',
      code: 'ERR_BODY_TOO_LARGE',
    })
    expect(state.cancelled).toBe(true)
  })

  it('a declared Content-Length over the limit: refused before reading', async () => {
    const { response, state } = stream(10, 1, { 'Content-Length': '1000001' })
    await expect(readBody(response, 1_000_000)).rejects.toMatchObject({ code: 'ERR_BODY_TOO_LARGE' })
    expect(state.cancelled).toBe(true)
  })
})

describe('deadline', () => {
  it('aborts with ERR_TIMEOUT after ms; 0 means none', async () => {
    const controller = new AbortController()
    deadline(controller, 20)
    await new Promise(resolve => setTimeout(resolve, 40))
    expect(controller.signal.reason).toMatchObject({ name: 'SessionVaultError', code: 'ERR_TIMEOUT' })
    const none = new AbortController()
    deadline(none, 0)
    const cancelled = new AbortController()
    deadline(cancelled, 10)()
    await new Promise(resolve => setTimeout(resolve, 30))
    expect(none.signal.aborted).toBe(false)
    expect(cancelled.signal.aborted).toBe(false)
  })
})
