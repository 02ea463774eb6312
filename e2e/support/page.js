// Test page script: loads the built ESM straight from /assets (no bundler) and
// exposes a few helpers for page.evaluate. Runs under the demo's strict CSP.
import * as SessionVault from '/assets/session-vault.js'

window.SessionVault = SessionVault
window.violations = []
window.events = []
document.addEventListener('securitypolicyviolation', event => {
  window.violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI })
})

window.start = async options => {
  const session = SessionVault.createSession(options)
  window.session = session
  for (const name of SessionVault.SESSION_EVENTS) {
    session.on(name, payload => {
      const data = payload instanceof Error ? { name: payload.name, code: payload.code } : payload
      window.events.push({ name, payload: data, at: Date.now() })
    })
  }
  try {
    await session.ready
    return { state: session.state }
  } catch (error) {
    return { error: { name: error.name, code: error.code, message: error.message }, state: session.state }
  }
}

/** Runs `fn` and returns its result or its error as plain data. */
window.attempt = async fn => {
  try {
    return { ok: true, value: await fn() }
  } catch (error) {
    return { ok: false, error: { name: error?.name, code: error?.code, message: error?.message } }
  }
}

window.harnessReady = true
