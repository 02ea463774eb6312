// The app every bundler of demo/bundlers builds: it imports the package plainly, as any app
// would (no workerUrl: each build puts vault.worker.js where the SDK looks, next to the bundle).
// Token mode against the reference server; the idle settings are the server's (/app/config.json),
// and the warning is the SDK's default dialog, which the SDK loads on demand.
import { createSession } from 'session-vault'

/** @param {string} id */
const $ = id => /** @type {HTMLElement} */ (document.getElementById(id))
const form = /** @type {HTMLFormElement} */ ($('login'))

/** @returns {Promise<import('session-vault').SessionOptions['idle']>} */
async function loadIdle() {
  const response = await fetch('/app/config.json', { cache: 'no-store' })
  return (await response.json()).idle
}

/** @param {import('session-vault').Session} session */
function wire(session) {
  const signedIn = () => {
    $('status').textContent = 'Signed in.'
    form.hidden = true
    $('app').hidden = false
  }
  session.on('authenticated', signedIn)
  session.on('logout', ({ reason }) => {
    form.reset()
    $('result').textContent = ''
    $('status').textContent = `Signed out (${reason}).`
    $('app').hidden = true
    form.hidden = false
  })
  form.addEventListener('submit', event => {
    event.preventDefault()
    const data = new FormData(form)
    session.login({ username: data.get('username'), password: data.get('password') }).then(
      () => form.reset(),
      (/** @type {Error} */ error) => {
        form.reset()
        $('status').textContent = `Sign-in failed: ${error.message}`
      },
    )
  })
  $('fetch').addEventListener('click', async () => {
    try {
      const response = await session.fetch('/api/me')
      const me = await response.json()
      $('result').textContent = `${response.status} ${me.username}`
    } catch (error) {
      $('result').textContent = `Failed: ${/** @type {Error} */ (error).message}`
    }
  })
  $('logout').addEventListener('click', () => void session.logout())
  return session.ready.then(() => {
    if (session.state === 'anonymous') {
      $('status').textContent = 'Signed out.'
      form.hidden = false
    } else signedIn()
  })
}

async function main() {
  const session = createSession({
    auth: {
      type: 'token',
      loginUrl: '/auth/login',
      refreshUrl: '/auth/refresh',
      logoutUrl: '/auth/logout',
      keepaliveUrl: '/auth/keepalive',
    },
    idle: await loadIdle(),
  })
  await wire(session)
}

main().catch((/** @type {Error} */ error) => ($('status').textContent = `Vault failed: ${error.message}`))
