/**
 * session-vault/server: the server half of session-vault as a Node library.
 * Framework-neutral core on Web `Request` / `Response`; stores; adapters.
 * @packageDocumentation
 */

export { expressAuthenticate, expressRouter } from './adapters/express.js'
export { fastifyAuthenticate, fastifyPlugin } from './adapters/fastify.js'
export type { NodeHandlerOptions } from './adapters/node.js'
export { authenticateNode, nodeHandler, sendWebResponse, toWebRequest } from './adapters/node.js'
export type { ToWebRequestOptions } from './adapters/web-request.js'
export { MissingPeerError, SessionServerError, StoreUnavailableError } from './core/errors.js'
export { SDK_HEADER } from './core/guard.js'
export type {
  EndReason,
  ErrorCode,
  LogEventName,
  Mode,
  RefreshTransport,
  RouteName,
  TokenKind,
  WireError,
} from './core/names.js'
export {
  END_REASONS,
  ERROR_CODES,
  LOG_EVENTS,
  MODES,
  REFRESH_TRANSPORTS,
  ROUTE_NAMES,
  TOKEN_KINDS,
  WIRE_ERRORS,
} from './core/names.js'
export type { LogEntry, RequestContext, SessionServerOptions, ThrottleOptions, VerifiedUser } from './core/options.js'
export { DEFAULT_PATHS } from './core/options.js'
export { createSessionServer } from './core/session-server.js'
export type {
  AuthenticatedSession,
  AuthenticateOptions,
  RenewedSession,
  SessionServer,
} from './core/session-server-api.js'
export type {
  CreateResult,
  ExpiryReason,
  LookupResult,
  NewToken,
  RenewResult,
  RotateResult,
  SessionRecord,
  SessionStore,
  ThrottlePolicy,
  ThrottleResult,
} from './core/store.js'
export type { MemoryStore, MemoryStoreOptions } from './stores/memory.js'
export { memoryStore } from './stores/memory.js'
export type { RedisStore, RedisStoreOptions } from './stores/redis.js'
export { redisStore } from './stores/redis.js'
