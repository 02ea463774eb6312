// Issue 12: ky and axios on session.fetch (demo/vite-spa builds both, one line each). The page
// functions run in the page as they are (Playwright's page.evaluate, WebKit's wk.run), so they are
// self-contained; the checks are shared by both runners.
import type { Expect } from './tab.js'

interface Caught {
  name?: string
  code?: string
  axios?: boolean
  cause?: { name?: string; code?: string }
  status?: number
}

/** In the page: answers, HTTP errors and a refused origin through both clients. */
export async function clientOutcomes() {
  const w = window as unknown as {
    api: { get(url: string): Promise<Response> & { json(): Promise<unknown> } }
    http: { get(url: string): Promise<{ data: unknown }> }
  }
  const caught = async (fn: () => Promise<unknown>) => {
    try {
      await fn()
      return 'no error'
    } catch (error) {
      const e = error as Caught & { isAxiosError?: boolean; response?: { status: number } }
      return {
        name: e.name,
        code: e.code,
        axios: e.isAxiosError === true,
        cause: e.cause && { name: e.cause.name, code: e.cause.code },
        status: e.response?.status,
      }
    }
  }
  return {
    ky: (await w.api.get('/api/me').json()) as { username: string },
    axios: (await w.http.get('/api/me')).data as { username: string },
    kyHttpError: await caught(() => w.api.get('/api/status/404')),
    axiosHttpError: await caught(() => w.http.get('/api/status/404')),
    kyRefused: await caught(() => w.api.get('https://untrusted.example/steal')),
    axiosRefused: await caught(() => w.http.get('https://untrusted.example/steal')),
  }
}

export function expectClientOutcomes(outcome: Awaited<ReturnType<typeof clientOutcomes>>, expect: Expect): void {
  expect(outcome.ky.username).toBe('alice')
  expect(outcome.axios.username).toBe('alice')
  expect(outcome.kyHttpError).toMatchObject({ name: 'HTTPError', status: 404 })
  expect(outcome.axiosHttpError).toMatchObject({ name: 'AxiosError', axios: true, status: 404 })
  // ky passes the SDK's error through as is; axios wraps it in an AxiosError (AxiosError.from) that
  // keeps its name and code, with the SDK's own error as its cause.
  expect(outcome.kyRefused).toMatchObject({ name: 'SessionVaultError', code: 'ERR_UNTRUSTED_ORIGIN', axios: false })
  expect(outcome.axiosRefused).toMatchObject({
    axios: true,
    code: 'ERR_UNTRUSTED_ORIGIN',
    cause: { name: 'SessionVaultError', code: 'ERR_UNTRUSTED_ORIGIN' },
  })
}

/** In the page: a request through `client` aborted 300 ms in; resolves what it rejected with. */
export async function clientAbort([client, url]: readonly ['ky' | 'axios', string]) {
  const w = window as unknown as {
    api: { get(url: string, options: Record<string, unknown>): Promise<unknown> }
    http: { get(url: string, config: Record<string, unknown>): Promise<unknown> }
  }
  const controller = new AbortController()
  setTimeout(() => controller.abort(), 300)
  try {
    if (client === 'ky') await w.api.get(url, { signal: controller.signal, timeout: false })
    else await w.http.get(url, { signal: controller.signal })
    return 'no error'
  } catch (error) {
    const e = error as Caught
    return { name: e.name, code: e.code }
  }
}

/** ky rejects with the DOMException AbortError, axios with its CanceledError. */
export const ABORTED = { ky: { name: 'AbortError' }, axios: { code: 'ERR_CANCELED' } } as const
