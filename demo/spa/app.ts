import { createSession, isSessionVaultError, type Session, type SessionOptions } from 'session-vault'

interface DemoConfig {
  idle?: SessionOptions['idle']
}

const RECONNECTING = 'Cannot reach the server yet; retrying…'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

function item(text: string, ...children: Node[]): HTMLLIElement {
  const li = document.createElement('li')
  li.textContent = text
  li.append(...children)
  return li
}

function log(text: string): void {
  const list = $('log')
  list.prepend(item(`${new Date().toLocaleTimeString()} ${text}`))
  while (list.childElementCount > 50) list.lastElementChild?.remove()
}

async function loadConfig(): Promise<DemoConfig> {
  try {
    const response = await fetch('/app/config.json', { cache: 'no-store' })
    return response.ok ? ((await response.json()) as DemoConfig) : {}
  } catch {
    return {}
  }
}

function start(config: DemoConfig, signedOutStatus = 'Signed out.'): Session {
  const session = createSession({
    workerUrl: '/assets/vault.worker.js',
    auth: {
      type: 'token',
      loginUrl: '/auth/login',
      refreshUrl: '/auth/refresh',
      logoutUrl: '/auth/logout',
      keepaliveUrl: '/auth/keepalive',
      statusUrl: '/auth/status',
      reauthUrl: '/auth/reauth',
    },
    idle: config.idle ?? { timeout: '5m', warnBefore: '1m', absoluteTimeout: '8h' },
    // "Sign out all other sessions" in another browser ends this one within 30 s, idle or not.
    monitor: { interval: '30s' },
  })
  ;(window as unknown as { session: Session }).session = session
  for (const name of ['authenticated', 'warning', 'extended', 'logout', 'step-up', 'error'] as const) {
    session.on(name, payload =>
      log(`${name} ${name === 'error' ? (payload as Error).message : JSON.stringify(payload)}`),
    )
  }
  session.on('authenticated', () => void showSignedIn(session))
  session.on('logout', ({ reason }) => {
    showSignedOut(`Signed out (${reason}).`)
    // A session ends once; the next sign-in gets a fresh one.
    current = start(config, `Signed out (${reason}).`)
  })
  // A restore the server did not answer: not known yet, so no sign-in form that could not work either.
  session.on('restoring', ({ active }) => {
    if (session.state === 'anonymous') showSignedOut(active ? RECONNECTING : signedOutStatus)
  })
  void session.ready.then(
    () => {
      if (session.state === 'anonymous') showSignedOut(session.info.restoring ? RECONNECTING : signedOutStatus)
    },
    (error: Error) => showSignedOut(`Vault failed: ${error.message}`),
  )
  return session
}

/**
 * Forgets what was typed: a sign-in form that still holds the password after a logout lets the
 * next person at the keyboard sign in again, and a half-typed note is private data.
 */
function clearTypedInput(): void {
  $<HTMLFormElement>('login-form').reset()
  $<HTMLFormElement>('note-form').reset()
  $<HTMLFormElement>('step-up-form').reset()
  $<HTMLDialogElement>('step-up').close()
}

function showSignedOut(status: string): void {
  clearTypedInput()
  $('status').textContent = status
  $('signed-in').hidden = true
  $('signed-out').hidden = status === RECONNECTING
  $('notes').replaceChildren()
  $('sessions').replaceChildren()
  $('who').textContent = ''
}

async function showSignedIn(session: Session): Promise<void> {
  $('status').textContent = 'Signed in.'
  $('signed-out').hidden = true
  $('signed-in').hidden = false
  const me = (await (await session.fetch('/api/me')).json()) as { username: string; name?: string }
  username = me.username
  $('who').textContent = me.name ?? me.username
  const { idleDeadline, absoluteDeadline } = session.info
  $('deadlines').textContent = idleDeadline
    ? `Idle deadline ${new Date(idleDeadline).toLocaleTimeString()}${absoluteDeadline ? `, absolute ${new Date(absoluteDeadline).toLocaleTimeString()}` : ''}.`
    : ''
  await Promise.all([renderNotes(session), renderSessions(session)])
}

async function renderNotes(session: Session): Promise<void> {
  const { notes } = (await (await session.fetch('/api/notes')).json()) as { notes: { text: string }[] }
  $('notes').replaceChildren(...notes.map(note => item(note.text)))
}

async function renderSessions(session: Session): Promise<void> {
  const response = await session.fetch('/api/sessions')
  if (!response.ok) return
  const { sessions } = (await response.json()) as {
    sessions: { handle: string; createdAt: number; lastSeenAt: number; userAgent: string; current: boolean }[]
  }
  $('sessions').replaceChildren(
    ...sessions.map(s => {
      const label = `${s.current ? 'This browser' : s.userAgent.slice(0, 60)}, since ${new Date(s.createdAt).toLocaleString()}`
      if (s.current) {
        const li = item(label)
        li.className = 'current'
        return li
      }
      const end = document.createElement('button')
      end.type = 'button'
      end.textContent = 'Sign out'
      end.addEventListener('click', async () => {
        await session.fetch(`/api/sessions/${encodeURIComponent(s.handle)}`, { method: 'DELETE' })
        await renderSessions(session)
      })
      return item(`${label} `, end)
    }),
  )
}

let current: Session
let username = ''

/**
 * A sensitive action: the server wants a sign-in from the last few minutes (RFC 9470
 * step-up). The session stays; the user confirms the password, and the action runs again.
 */
async function deleteAllNotes(): Promise<void> {
  try {
    await current.fetch('/api/notes', { method: 'DELETE' })
  } catch (error) {
    if (!isSessionVaultError(error, 'ERR_STEP_UP_REQUIRED')) throw error
    if (!(await confirmPassword())) return
    await current.fetch('/api/notes', { method: 'DELETE' })
  }
  await renderNotes(current)
}

/** The step-up prompt: resolves true once `reauthenticate` accepted the password, false if cancelled. */
function confirmPassword(): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('step-up')
  const form = $<HTMLFormElement>('step-up-form')
  const error = $('step-up-error')
  error.textContent = ''
  return new Promise(resolve => {
    const submit = async (event: SubmitEvent) => {
      event.preventDefault()
      const password = String(new FormData(form).get('password') ?? '')
      try {
        await current.reauthenticate({ username, password })
      } catch (failure) {
        form.reset()
        error.textContent = isSessionVaultError(failure, 'ERR_LOGIN_FAILED')
          ? 'Wrong password.'
          : `Could not confirm: ${(failure as Error).message}`
        return
      }
      finish(true)
    }
    const finish = (confirmed: boolean) => {
      form.removeEventListener('submit', submit)
      dialog.removeEventListener('close', cancelled)
      form.reset()
      dialog.close()
      resolve(confirmed)
    }
    const cancelled = () => finish(false)
    form.addEventListener('submit', submit)
    dialog.addEventListener('close', cancelled)
    dialog.showModal()
  })
}

$('login-form').addEventListener('submit', async event => {
  event.preventDefault()
  const data = new FormData(event.target as HTMLFormElement)
  $('login-error').textContent = ''
  try {
    await current.login({ username: data.get('username'), password: data.get('password') })
    clearTypedInput()
  } catch (error) {
    ;($<HTMLFormElement>('login-form').elements.namedItem('password') as HTMLInputElement).value = ''
    $('login-error').textContent = isSessionVaultError(error, 'ERR_LOGIN_FAILED')
      ? 'Wrong user name or password.'
      : `Sign-in failed: ${(error as Error).message}`
  }
})

$('note-form').addEventListener('submit', async event => {
  event.preventDefault()
  const form = event.target as HTMLFormElement
  const text = String(new FormData(form).get('text') ?? '')
  await current.fetch('/api/notes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  })
  form.reset()
  await renderNotes(current)
})

$('logout').addEventListener('click', () => void current.logout())
$('delete-notes').addEventListener('click', () => void deleteAllNotes())
$('step-up-cancel').addEventListener('click', () => $<HTMLDialogElement>('step-up').close())
$('revoke-others').addEventListener('click', async () => {
  await current.fetch('/api/sessions/revoke-others', { method: 'POST' })
  await renderSessions(current)
})

current = start(await loadConfig())
