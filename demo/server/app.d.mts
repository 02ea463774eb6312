/** Options of the reference server; lifetimes in seconds (decimals allowed). */
export interface StartServerOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 8787; 0 = any free port. */
  port?: number
  /** Test support: /test/* routes, /e2e/* files and the second origin. Default false. */
  test?: boolean
  /** Port of the second origin (test mode). Default 0 (any free port). */
  secondPort?: number
  /** Silence the lifecycle log (test mode only). */
  quiet?: boolean
  /** Default 300. */
  accessTokenTtl?: number
  /** Default 900. */
  idleTimeout?: number
  /** Default 28800. */
  absoluteTimeout?: number
  /** Default 86400. */
  refreshTokenTtl?: number
  /** Repository root for static files. Default: two levels above this file. */
  root?: string
  /** Brute-force limits of password checks (durations in seconds). Defaults in `reference/session-machinery.mjs`. */
  throttle?: {
    /** Default 5. */
    accountFreeFailures?: number
    /** Default 20. */
    clientFreeFailures?: number
    /** Default 1. */
    baseDelay?: number
    /** Default 900. */
    maxDelay?: number
    /** Default 900. */
    forgetAfter?: number
  }
  /** Origins besides the server's own that the vault may connect to (the worker script's `connect-src`). Default []. */
  trustedOrigins?: string[]
  /** Keep the sessions in Redis (session-vault/server's `redisStore`), e.g. 'redis://127.0.0.1:6379'. Default: in memory. */
  redisUrl?: string | null
}

export interface RunningServer {
  /** e.g. 'http://127.0.0.1:8787/' */
  url: string
  /** The second origin, test mode only, e.g. 'http://127.0.0.1:8788/' */
  secondUrl?: string
  close(): Promise<void>
}

export declare function startServer(opts?: StartServerOptions): Promise<RunningServer>

export declare const DEMO_USERS: ReadonlyArray<{
  readonly username: string
  readonly password: string
  readonly name: string
}>
