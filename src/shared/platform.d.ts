/**
 * The platform both threads have: the members of `Window` and of a dedicated
 * worker's global scope that code in `src/shared/` may use. `tsconfig.json`
 * here compiles this folder against these declarations alone (no DOM, no
 * WebWorker lib), so shared code that reaches for `document`, `window`,
 * `self.postMessage` or anything else only one thread has does not compile.
 * Page and vault builds never see this file: they use the real lib types.
 * Members are listed as used; add one only if both threads have it.
 */

type BufferSource = ArrayBufferView | ArrayBuffer
type BlobPart = BufferSource | Blob | string
type HeadersInit = [string, string][] | Record<string, string> | Headers
type BodyInit = ReadableStream | Blob | BufferSource | FormData | URLSearchParams | string
type RequestInfo = Request | string
type RequestCredentials = 'include' | 'omit' | 'same-origin'
type RequestCache = 'default' | 'force-cache' | 'no-cache' | 'no-store' | 'only-if-cached' | 'reload'
type RequestRedirect = 'error' | 'follow' | 'manual'
type ReferrerPolicy =
  | ''
  | 'no-referrer'
  | 'no-referrer-when-downgrade'
  | 'origin'
  | 'origin-when-cross-origin'
  | 'same-origin'
  | 'strict-origin'
  | 'strict-origin-when-cross-origin'
  | 'unsafe-url'
type ResponseType = 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect'
type Transferable = ArrayBuffer | MessagePort | ReadableStream

interface URLSearchParams {
  get(name: string): string | null
  set(name: string, value: string): void
  toString(): string
}
declare var URLSearchParams: {
  prototype: URLSearchParams
  new (init?: Record<string, string> | string): URLSearchParams
}

interface URL {
  href: string
  readonly origin: string
  protocol: string
  username: string
  password: string
  pathname: string
  hash: string
  readonly searchParams: URLSearchParams
}
declare var URL: { prototype: URL; new (url: string | URL, base?: string | URL): URL }

interface Headers {
  get(name: string): string | null
  has(name: string): boolean
  set(name: string, value: string): void
  [Symbol.iterator](): IterableIterator<[string, string]>
}
declare var Headers: { prototype: Headers; new (init?: HeadersInit): Headers }

interface Blob {
  readonly size: number
  readonly type: string
  arrayBuffer(): Promise<ArrayBuffer>
}
declare var Blob: { prototype: Blob; new (parts?: BlobPart[], options?: { type?: string }): Blob }

interface File extends Blob {
  readonly name: string
}
declare var File: { prototype: File; new (parts: BlobPart[], name: string): File }

interface FormData {
  forEach(callback: (value: File | string, name: string) => void): void
}
declare var FormData: { prototype: FormData; new (): FormData }

interface ReadableStreamDefaultReader<R> {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: R }>
  cancel(reason?: unknown): Promise<void>
}
interface ReadableStreamDefaultController<R> {
  enqueue(chunk: R): void
  close(): void
  error(reason?: unknown): void
}
interface ReadableStream<R = Uint8Array> {
  getReader(): ReadableStreamDefaultReader<R>
  cancel(reason?: unknown): Promise<void>
}
interface UnderlyingDefaultSource<R> {
  start?(controller: ReadableStreamDefaultController<R>): void
  pull?(controller: ReadableStreamDefaultController<R>): void | Promise<void>
  cancel?(reason?: unknown): void | Promise<void>
}
declare var ReadableStream: {
  prototype: ReadableStream
  new <R = Uint8Array>(source?: UnderlyingDefaultSource<R>, strategy?: { highWaterMark?: number }): ReadableStream<R>
}

interface Body {
  readonly body: ReadableStream<Uint8Array> | null
  readonly bodyUsed: boolean
  arrayBuffer(): Promise<ArrayBuffer>
  text(): Promise<string>
}

interface RequestInit {
  body?: BodyInit | null
  cache?: RequestCache
  credentials?: RequestCredentials
  headers?: HeadersInit
  integrity?: string
  keepalive?: boolean
  method?: string
  redirect?: RequestRedirect
  referrerPolicy?: ReferrerPolicy
  signal?: AbortSignal | null
}
interface Request extends Body {
  readonly url: string
  readonly method: string
  readonly headers: Headers
  readonly credentials: RequestCredentials
  readonly cache: RequestCache
  readonly redirect: RequestRedirect
  readonly referrerPolicy: ReferrerPolicy
  readonly integrity: string
  readonly keepalive: boolean
  readonly signal: AbortSignal
  clone(): Request
  formData(): Promise<FormData>
}
declare var Request: { prototype: Request; new (input: RequestInfo | URL, init?: RequestInit): Request }

interface ResponseInit {
  status?: number
  statusText?: string
  headers?: HeadersInit
}
interface Response extends Body {
  readonly url: string
  readonly redirected: boolean
  readonly type: ResponseType
  readonly status: number
  readonly statusText: string
  readonly headers: Headers
}
declare var Response: {
  prototype: Response
  new (body?: BodyInit | null, init?: ResponseInit): Response
  error(): Response
}

interface AbortSignal {
  readonly aborted: boolean
  readonly reason: unknown
  throwIfAborted(): void
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
}
declare var AbortSignal: { prototype: AbortSignal; timeout(ms: number): AbortSignal }
interface AbortController {
  readonly signal: AbortSignal
  abort(reason?: unknown): void
}
declare var AbortController: { prototype: AbortController; new (): AbortController }

interface DOMException extends Error {}
declare var DOMException: { prototype: DOMException; new (message?: string, name?: string): DOMException }

// biome-ignore lint/suspicious/noExplicitAny: the default of the DOM lib's MessageEvent, so listeners can type their data
interface MessageEvent<T = any> {
  readonly data: T
}
interface MessagePort {
  postMessage(message: unknown, transfer?: Transferable[]): void
  onmessage: ((event: MessageEvent) => void) | null
  close(): void
}
declare var MessagePort: { prototype: MessagePort }
interface MessageChannel {
  readonly port1: MessagePort
  readonly port2: MessagePort
}
declare var MessageChannel: { prototype: MessageChannel; new (): MessageChannel }
declare function structuredClone<T>(value: T, options?: { transfer?: Transferable[] }): T

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder }

interface Lock {
  readonly name: string
}
interface LockOptions {
  ifAvailable?: boolean
  signal?: AbortSignal
}
interface LockManager {
  request<T>(name: string, options: LockOptions, callback: (lock: Lock | null) => T): Promise<Awaited<T>>
}

interface SubtleCrypto {
  digest(algorithm: 'SHA-256', data: BufferSource): Promise<ArrayBuffer>
}
interface Crypto {
  readonly subtle: SubtleCrypto
  getRandomValues<T extends ArrayBufferView>(array: T): T
  randomUUID(): `${string}-${string}-${string}-${string}-${string}`
}
declare var crypto: Crypto

declare function setTimeout(handler: () => void, timeout?: number): number
declare function clearTimeout(id: number | undefined): void
declare function btoa(data: string): string
declare function atob(data: string): string
