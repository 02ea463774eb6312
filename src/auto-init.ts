import { SESSION_EVENTS } from './events.js'
import { createSession, type Session } from './session.js'
import { isSessionVaultError } from './shared/errors.js'
import type { SessionOptions } from './types.js'

/**
 * `document[name]` read on Document.prototype (getters run on `document`):
 * elements named after it (`<img name="currentScript">`, DOM clobbering) are
 * properties of the document itself and cannot shadow it.
 */
// biome-ignore lint/suspicious/noExplicitAny: a Document member picked by name; each caller knows its type
export const docGet = (name: string): any => Reflect.get(Document.prototype, name, document)
// biome-ignore lint/suspicious/noExplicitAny: as docGet
const docCall = (name: string, ...args: unknown[]): any => docGet(name).apply(document, args)
const dispatch = (name: string, detail: unknown) =>
  docCall('dispatchEvent', new CustomEvent(`session-vault:${name}`, { detail }))
export const listen = (type: string, listener: (event: Event) => void, options?: AddEventListenerOptions): void =>
  docCall('addEventListener', type, listener, options)

export function report(message: string, code: string): void {
  console.error(`session-vault: ${message}`)
  dispatch('error', { code, message })
}

function readConfig(script: HTMLScriptElement): SessionOptions | undefined {
  const selector = script.dataset.config!
  const element = /^#[\w-]+$/.test(selector) ? docCall('getElementById', selector.slice(1)) : null
  if (!element) {
    report(
      `data-config must name an element by id (#id) that exists; ${JSON.stringify(selector.slice(0, 60))} does not`,
      'ERR_BAD_OPTIONS',
    )
    return undefined
  }
  try {
    const config = JSON.parse(element.textContent ?? '') as unknown
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new SyntaxError('not an object')
    return config as SessionOptions
  } catch (error) {
    report(`the config in ${selector} is not a JSON object (${(error as Error).message})`, 'ERR_BAD_OPTIONS')
    return undefined
  }
}

/**
 * The script tag's auto-init: reads the JSON config named by `data-config`,
 * creates the session, makes every `[data-session-vault-logout]` element sign
 * out, and re-dispatches every session event on `document` as
 * `session-vault:<event>`. Never throws: problems are reported on the console
 * and as `session-vault:error`, and the page keeps working without the SDK.
 */
export function autoInit(script: HTMLScriptElement): Session | undefined {
  const config = readConfig(script)
  if (!config) return undefined
  let session: Session
  try {
    session = createSession({ ...config, workerUrl: config.workerUrl ?? new URL('vault.worker.js', script.src).href })
  } catch (error) {
    report(`cannot start: ${(error as Error).message}`, isSessionVaultError(error) ? error.code : 'ERR_BAD_OPTIONS')
    return undefined
  }
  for (const name of SESSION_EVENTS) {
    session.on(name, detail => dispatch(name, detail))
  }
  listen('click', event => {
    const target = event.target instanceof Element ? event.target.closest('[data-session-vault-logout]') : null
    if (!target || (session.state !== 'authenticated' && session.state !== 'warning')) return
    event.preventDefault()
    void session.logout()
  })
  session.ready.catch((error: Error) => report(`the vault did not start: ${error.message}`, 'ERR_VAULT_CRASHED'))
  return session
}
