// A React 19 app on session-vault/react, built by Vite from the packed tarball (demo/vite-spa/build.mjs).
// No JSX, so no plugin: createElement is the whole of it. The warning is the app's own component,
// timed by the SDK (dialog: false).
import { createElement as e, StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import type { SessionOptions } from 'session-vault'
import { SessionDialog, SessionProvider, useIdle, useSession } from 'session-vault/react'

async function loadIdle(): Promise<SessionOptions['idle']> {
  const response = await fetch('/app/config.json', { cache: 'no-store' })
  return ((await response.json()) as { idle: SessionOptions['idle'] }).idle
}

function SignIn() {
  const { session } = useSession()
  const [error, setError] = useState('')
  return e(
    'form',
    {
      id: 'login',
      onSubmit: (event: { preventDefault(): void; currentTarget: HTMLFormElement }) => {
        event.preventDefault()
        const form = event.currentTarget
        const data = new FormData(form)
        session?.login({ username: data.get('username'), password: data.get('password') }).then(
          () => form.reset(),
          (failure: Error) => {
            form.reset()
            setError(failure.message)
          },
        )
      },
    },
    e('label', null, 'User ', e('input', { name: 'username', defaultValue: 'alice', autoComplete: 'username' })),
    e('label', null, 'Password ', e('input', { name: 'password', type: 'password', autoComplete: 'current-password' })),
    e('button', { type: 'submit' }, 'Sign in'),
    e('p', { role: 'alert' }, error),
  )
}

function SignedIn() {
  const { session } = useSession()
  const { phase, pause, resume } = useIdle()
  const [who, setWho] = useState('')
  useEffect(() => {
    void session
      ?.fetch('/api/me')
      .then(r => r.json())
      .then((me: { username: string }) => setWho(me.username))
  }, [session])
  return e(
    'div',
    { id: 'app' },
    e('p', null, 'Signed in as ', e('strong', { id: 'who' }, who)),
    e('p', null, 'Idle: ', e('span', { id: 'phase' }, phase)),
    e('button', { type: 'button', id: 'pause', onClick: pause }, 'Pause idle'),
    e('button', { type: 'button', id: 'resume', onClick: resume }, 'Resume idle'),
    e('button', { type: 'button', id: 'logout', onClick: () => void session?.logout() }, 'Sign out'),
  )
}

function Status() {
  const { state } = useSession()
  const signedIn = state === 'authenticated' || state === 'warning'
  return e('main', null, e('p', { id: 'status', role: 'status' }, state), signedIn ? e(SignedIn) : e(SignIn))
}

function Warning() {
  return e(SessionDialog, {
    render: ({ remainingMs, extend, logout }) =>
      e(
        'div',
        { role: 'alertdialog', 'aria-label': 'Session timeout', id: 'warning' },
        e('p', null, `Signing out in ${Math.ceil((remainingMs ?? 0) / 1000)} s`),
        e('button', { type: 'button', onClick: () => void extend() }, 'Stay signed in'),
        e('button', { type: 'button', onClick: () => void logout() }, 'Sign out now'),
      ),
  })
}

function Root({ options }: { options: SessionOptions }) {
  // "Remount" unmounts and mounts the provider again in one commit: the same session (one vault) goes on.
  const [generation, setGeneration] = useState(0)
  return e(
    'div',
    null,
    e('h1', null, 'session-vault + React'),
    e('button', { type: 'button', id: 'remount', onClick: () => setGeneration(n => n + 1) }, 'Remount'),
    e(SessionProvider, { key: generation, options }, e(Status), e(Warning)),
  )
}

const options: SessionOptions = {
  auth: {
    type: 'token',
    loginUrl: '/auth/login',
    refreshUrl: '/auth/refresh',
    logoutUrl: '/auth/logout',
    keepaliveUrl: '/auth/keepalive',
  },
  idle: await loadIdle(),
  dialog: false,
}
createRoot(document.getElementById('root')!).render(e(StrictMode, null, e(Root, { options })))
