// A tiny signed-in app for the back-button tests. It shows private content
// only while the session is authenticated.
// - default: logout.redirectTo = signed-out.html and the content is hidden on logout;
// - ?static: like a server-rendered page: no redirectTo and the content is left
//   in place on logout; the page relies on the SDK to leave when it is
//   restored from the back/forward cache after logout.
// Records pageshow events so a test can tell a bfcache restore (persisted) from a load.
import { createSession } from '/assets/session-vault.js'

window.pageshows = []
window.events = []
addEventListener('pageshow', event => window.pageshows.push({ persisted: event.persisted, at: Date.now() }))

const isStatic = new URLSearchParams(location.search).has('static')
const $ = id => document.getElementById(id)

function showSignedOut(text) {
  $('status').textContent = text
  $('private').hidden = true
  $('secret').textContent = ''
}

const session = createSession({
  auth: {
    type: 'token',
    loginUrl: '/auth/login',
    refreshUrl: '/auth/refresh',
    logoutUrl: '/auth/logout',
    keepaliveUrl: '/auth/keepalive',
  },
  dialog: false,
  logout: isStatic ? {} : { redirectTo: '/e2e/sdk/back-button/signed-out.html' },
})
window.session = session
for (const name of ['authenticated', 'logout', 'error']) {
  session.on(name, payload => window.events.push({ name, payload, at: Date.now() }))
}
session.on('authenticated', async () => {
  const me = await (await session.fetch('/api/me')).json()
  $('status').textContent = 'Signed in.'
  $('secret').textContent = `Private notes of ${me.username}`
  $('private').hidden = false
})
if (!isStatic) session.on('logout', ({ reason }) => showSignedOut(`Signed out (${reason}).`))
session.ready.then(
  () => {
    if (session.state === 'anonymous') showSignedOut('Signed out.')
    window.appReady = true
  },
  () => {
    showSignedOut('Vault failed.')
    window.appReady = true
  },
)
