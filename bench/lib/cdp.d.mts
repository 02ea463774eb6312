/** Types for cdp.mjs (shared by the benchmarks and e2e/hidden-tab). */
export declare class CdpPage {
  readonly targetId: string
  readonly sessionId: string
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>
  evaluate<T = unknown>(expression: string): Promise<T>
  waitFor<T = unknown>(expression: string, timeoutMs: number, intervalMs?: number): Promise<T>
}

export declare class RawChromium {
  static launch(executablePath: string | undefined, args: readonly string[]): Promise<RawChromium>
  version(): Promise<string>
  newTab(url: string): Promise<CdpPage>
  activate(page: CdpPage): Promise<unknown>
  close(): Promise<void>
}
