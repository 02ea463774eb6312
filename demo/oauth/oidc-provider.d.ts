// The few parts of oidc-provider (which ships no types) that provider.mjs uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface Client {
    clientId: string
    grantTypeAllowed(grantType: string): boolean
  }

  interface Grant {
    addOIDCScope(scope: string): void
    save(): Promise<string>
  }

  interface GrantConstructor {
    new (init: { clientId: string; accountId?: string }): Grant
    find(id: string): Promise<Grant | undefined>
  }

  interface OidcContext {
    oidc: {
      result?: { consent?: { grantId?: string } }
      session: { accountId?: string; grantIdFor(clientId: string): string | undefined }
      client: Client
      params: { scope?: string }
      provider: { Grant: GrantConstructor }
    }
  }

  interface KoaContext {
    path: string
    method: string
    status: number
    type: string
    body: unknown
  }

  type Seconds = number | (() => number)

  interface Configuration {
    clients: Record<string, unknown>[]
    jwks: { keys: Record<string, unknown>[] }
    cookies: { keys: string[] }
    scopes: string[]
    claims: Record<string, string[]>
    conformIdTokenClaims: boolean
    findAccount(ctx: unknown, sub: string): Promise<{ accountId: string; claims(): Promise<Record<string, unknown>> }>
    pkce: { required(): boolean }
    acrValues: string[]
    extraTokenClaims(
      ctx: { oidc: { entities: Record<string, { authTime?: number; acr?: string } | undefined> } },
      token: { kind: string },
    ): Promise<Record<string, unknown> | undefined>
    clientBasedCORS(ctx: unknown, origin: string, client: Client): boolean
    features: {
      devInteractions: { enabled: boolean }
      dPoP: { enabled: boolean; nonceSecret: Buffer; requireNonce(): boolean }
      revocation: {
        enabled: boolean
        allowedPolicy(ctx: unknown, client: Client, token: { clientId?: string }): Promise<boolean>
      }
      introspection: { enabled: boolean; allowedPolicy(ctx: unknown, client: Client): Promise<boolean> }
      rpInitiatedLogout: { enabled: boolean }
      resourceIndicators: { enabled: boolean }
    }
    rotateRefreshToken: boolean
    issueRefreshToken(ctx: unknown, client: Client): Promise<boolean>
    ttl: Record<string, Seconds>
    loadExistingGrant(ctx: OidcContext): Promise<Grant | undefined>
    renderError(ctx: KoaContext, out: { error?: string; error_description?: string }): Promise<void>
  }

  /** What an interaction ends with (the parts provider.mjs touches). */
  interface InteractionResult {
    login?: { accountId: string; acr?: string; [key: string]: unknown }
    [key: string]: unknown
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration)
    proxy: boolean
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void
    on(event: 'server_error', listener: (ctx: unknown, error: unknown) => void): void
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    /** Stores an interaction's result (interactionFinished calls it, then redirects); resolves the URL to go back to. */
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>
  }
}
