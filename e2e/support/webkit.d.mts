/** Types for webkit.mjs (shared by the WebKit e2e suite and the benchmarks). */
import type { WebDriver } from 'selenium-webdriver'

export declare function checkWebKit(): void
export declare function startWebKitDriver(): Promise<{ webdriverUrl: string; display: string; stop(): void }>
export declare function webkitCapabilities(): Record<string, unknown>
export declare function newWebKitSession(
  webdriverUrl: string,
  timeouts?: { scriptTimeout?: number; pageLoadTimeout?: number },
): Promise<WebDriver>

export interface Certificate {
  key: Buffer
  cert: Buffer
}
export declare function makeCertificate(): Certificate

/** A request held by the proxy until `release()`; `aborted` resolves true when the browser cancelled it meanwhile. */
export interface HeldRequest {
  reached: Promise<void>
  release(): void
  aborted: Promise<boolean>
  remove(): void
}

export declare class TlsProxy {
  readonly origin: string
  private constructor()
  /** Serves https://127.0.0.1:<free port> and forwards everything to `target` (an http:// origin). */
  static start(target: string, certificate: Certificate): Promise<TlsProxy>
  /** Delays every request whose path (with query) matches by `ms` before forwarding it. Returns the remover. */
  delay(match: RegExp, ms: number): () => void
  /** Holds the next request whose path matches until `release()`. */
  hold(match: RegExp): HeldRequest
  close(): Promise<void>
}
