// Imports the package plainly, as any app would: no workerUrl, no plugin.
import axios from 'axios'
import ky from 'ky'
import { createSession } from 'session-vault'
import { subscribe } from 'session-vault/sse'

const $ = (id: string) => document.getElementById(id)!

const session = createSession({
  auth: { type: 'token', loginUrl: '/auth/login', refreshUrl: '/auth/refresh', logoutUrl: '/auth/logout' },
  idle: { timeout: '5m', warnBefore: '1m' },
})
// session.fetch is a fetch: the HTTP clients apps use take it as their own, one line each.
const api = ky.create({ fetch: session.fetch })
const http = axios.create({ adapter: 'fetch', env: { fetch: session.fetch } })
Object.assign(window, { session, api, http })

/** How many of the feed's latest events the list shows. */
const FEED_LENGTH = 10
let feed: AbortController | undefined

/**
 * The live feed: /api/events through the vault (session-vault/sse). When the access token
 * expires the server ends the stream; the helper reconnects with Last-Event-ID and the vault
 * sends the refreshed token. It stops by itself at logout.
 */
function startFeed(): void {
  feed?.abort()
  feed = new AbortController()
  const list = $('feed')
  list.replaceChildren()
  subscribe(session, '/api/events', {
    signal: feed.signal,
    onOpen: () => ($('feed-status').textContent = 'Connected.'),
    onError: () => ($('feed-status').textContent = 'Connection lost, reconnecting…'),
    onEvent: ({ data, lastEventId }) => {
      const { at } = JSON.parse(data) as { at: number }
      const item = document.createElement('li')
      item.textContent = `#${lastEventId} at ${new Date(at).toLocaleTimeString()}`
      list.prepend(item)
      while (list.children.length > FEED_LENGTH) list.lastElementChild?.remove()
    },
  }).then(
    () => ($('feed-status').textContent = 'Not connected.'),
    (error: Error) => ($('feed-status').textContent = `Feed stopped: ${error.message}`),
  )
}

async function showSignedIn(): Promise<void> {
  const me = (await (await session.fetch('/api/me')).json()) as { username: string }
  $('who').textContent = me.username
  $('status').textContent = 'Signed in.'
  $('login').hidden = true
  $('app').hidden = false
  startFeed()
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
