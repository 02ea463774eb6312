/** The demo account every sign-in uses. */
export declare const ALICE: { username: string; password: string }

/** `auth` of createSession in token mode: the reference server's routes. */
export declare const TOKEN_AUTH: {
  readonly type: 'token'
  readonly loginUrl: '/auth/login'
  readonly refreshUrl: '/auth/refresh'
  readonly logoutUrl: '/auth/logout'
  readonly keepaliveUrl: '/auth/keepalive'
}

/** Server lifetimes in seconds, the body of `POST /test/reset` (`{}`: the start-up defaults). */
export interface Lifetimes {
  accessTokenTtl?: number
  idleTimeout?: number
  absoluteTimeout?: number
  refreshTokenTtl?: number
}

/** What `GET /test/counters` answers: how often each route was hit since the reset. */
export interface Counters {
  login: number
  loginFailed: number
  refresh: number
  refreshReuse: number
  logout: number
  keepalive: number
  status: number
  api: number
  cspReports: number
  classicLogin: number
  classicLoginFailed: number
  classicLogout: number
  classicKeepalive: number
  csrfRejected: number
}
