/**
 * The script-tag build: `window.SessionVault`, the same API as the ESM build,
 * plus auto-init when the script element has `data-config="#id"`; the session
 * it makes is `SessionVault.current`.
 */
import { autoInit } from './auto-init.js'
import type { Session } from './session.js'

export * from './index.js'

const script = document.currentScript
export let current: Session | undefined

if (script instanceof HTMLScriptElement && script.dataset.config) {
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', () => (current = autoInit(script)), { once: true })
  } else {
    current = autoInit(script)
  }
}
