// Imports the package plainly, as any app would: no workerUrl, no plugin.
import axios from 'axios'
import ky from 'ky'
import { createSession } from 'session-vault'

const $ = (id: string) => document.getElementById(id)!

const session = createSession({
  auth: { type: 'token', loginUrl: '/auth/login', refreshUrl: '/auth/refresh', logoutUrl: '/auth/logout' },
  idle: { timeout: '5m', warnBefore: '1m' },
})
// session.fetch is a fetch: the HTTP clients apps use take it as their own, one line each.
const api = ky.create({ fetch: session.fetch })
const http = axios.create({ adapter: 'fetch', env: { fetch: session.fetch } })
Object.assign(window, { session, api, http })

async function showSignedIn(): Promise<void> {
  const me = (await (await session.fetch('/api/me')).json()) as { username: string }
  $('who').textContent = me.username
  $('status').textContent = 'Signed in.'
  $('login').hidden = true
  $('app').hidden = false
}

session.on('authenticated', () => void showSignedIn())
session.on('logout', ({ reason }) => {
  // What was typed goes with the session: a password left in the form signs the next person in.
  ;($('login') as HTMLFormElement).reset()
  $('status').textContent = `Signed out (${reason}).`
  $('app').hidden = true
})
session.ready.then(
  () => {
    if (session.state === 'anonymous') {
      $('status').textContent = 'Signed out.'
      $('login').hidden = false
    }
  },
  (error: Error) => ($('status').textContent = `Vault failed: ${error.message}`),
)

$('login').addEventListener('submit', event => {
  event.preventDefault()
  const data = new FormData(event.target as HTMLFormElement)
  const form = event.target as HTMLFormElement
  session.login({ username: data.get('username'), password: data.get('password') }).then(
    () => form.reset(),
    (error: Error) => {
      ;(form.elements.namedItem('password') as HTMLInputElement).value = ''
      $('status').textContent = `Sign-in failed: ${error.message}`
    },
  )
})
$('logout').addEventListener('click', () => void session.logout())
