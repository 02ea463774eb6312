/** Types for cdp.mjs (shared by the benchmarks and e2e/hidden-tab). */
export declare class CdpPage {
  readonly targetId: string
  readonly sessionId: string
  send(method: string, params?: Record<string, unknown>): Promise<any>
  evaluate<T = any>(expression: string): Promise<T>
  waitFor(expression: string, timeoutMs: number, intervalMs?: number): Promise<any>
}

export declare class RawChromium {
  static launch(executablePath: string | undefined, args: readonly string[]): Promise<RawChromium>
  version(): Promise<string>
  newTab(url: string): Promise<CdpPage>
  activate(page: CdpPage): Promise<unknown>
  close(): Promise<void>
}
