/**
 * The script-tag build: `window.SessionVault`, the same API as the ESM build,
 * plus auto-init when the script element has `data-config="#id"`; the session
 * it makes is `SessionVault.current`.
 */
import { autoInit, docGet, listen, report } from './auto-init.js'
import type { Session } from './session.js'

export * from './index.js'

// Through Document.prototype: `<img name="currentScript">` (DOM clobbering) shadows `document.currentScript`.
const own = docGet('currentScript')
const script = own instanceof HTMLScriptElement ? own : docGet('querySelector').call(document, 'script[data-config]')
export let current: Session | undefined

if (!(script instanceof HTMLScriptElement)) {
  report('auto-init found no <script> element of its own', 'ERR_BAD_OPTIONS')
} else if (script.dataset.config) {
  if (docGet('readyState') === 'loading') {
    listen('DOMContentLoaded', () => (current = autoInit(script)), { once: true })
  } else {
    current = autoInit(script)
  }
}
