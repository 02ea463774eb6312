import type { APIRequestContext } from '@playwright/test'
import { PORT, SECOND_PORT } from '../../playwright.config.js'
import type { Counters, Lifetimes } from './reference.mjs'

export const ORIGIN = `http://127.0.0.1:${PORT}`
export const SECOND_ORIGIN = `http://127.0.0.1:${SECOND_PORT}`
export { ALICE } from './reference.mjs'
export type { Counters, Lifetimes }

/** Talks to the reference server's test-support routes (on only with SESSION_VAULT_TEST=1). */
export class TestServer {
  constructor(private readonly request: APIRequestContext) {}

  async reset(lifetimes: Lifetimes = {}): Promise<void> {
    await this.#ok(this.request.post(`${ORIGIN}/test/reset`, { data: lifetimes }))
  }

  async tokens(): Promise<{ accessToken: string; refreshToken: string; all: string[] }> {
    return (await this.#ok(this.request.get(`${ORIGIN}/test/tokens`))).json()
  }

  async counters(): Promise<Counters> {
    return (await this.#ok(this.request.get(`${ORIGIN}/test/counters`))).json()
  }

  async secondOriginLog(): Promise<{ method: string; path: string; hasAuthorization: boolean }[]> {
    return ((await (await this.#ok(this.request.get(`${ORIGIN}/test/second-origin-log`))).json()) as { requests: [] })
      .requests
  }

  async post(path: string, data?: unknown): Promise<void> {
    await this.#ok(this.request.post(`${ORIGIN}${path}`, data === undefined ? {} : { data }))
  }

  async get<T>(path: string): Promise<T> {
    return (await this.#ok(this.request.get(`${ORIGIN}${path}`))).json() as Promise<T>
  }

  async #ok<T extends { ok(): boolean; status(): number; url(): string }>(pending: Promise<T>): Promise<T> {
    const response = await pending
    if (!response.ok()) throw new Error(`test server: ${response.status()} for ${new URL(response.url()).pathname}`)
    return response
  }
}
