// A Vue 3 app on session-vault/vue, built by Vite from the packed tarball (demo/vite-spa/build.mjs).
// Render functions, so no SFC plugin. The warning is the app's own component, timed by the SDK.
import type { SessionOptions } from 'session-vault'
import { sessionVault, useIdle, useSession } from 'session-vault/vue'
import { createApp, defineComponent, h, ref } from 'vue'

async function loadIdle(): Promise<SessionOptions['idle']> {
  const response = await fetch('/app/config.json', { cache: 'no-store' })
  return ((await response.json()) as { idle: SessionOptions['idle'] }).idle
}

const SignIn = defineComponent({
  setup() {
    const { session } = useSession()
    const error = ref('')
    const submit = (event: Event) => {
      event.preventDefault()
      const form = event.currentTarget as HTMLFormElement
      const data = new FormData(form)
      session?.login({ username: data.get('username'), password: data.get('password') }).then(
        () => form.reset(),
        (failure: Error) => {
          form.reset()
          error.value = failure.message
        },
      )
    }
    return () =>
      h('form', { id: 'login', onSubmit: submit }, [
        h('label', null, ['User ', h('input', { name: 'username', value: 'alice', autocomplete: 'username' })]),
        h('label', null, [
          'Password ',
          h('input', { name: 'password', type: 'password', autocomplete: 'current-password' }),
        ]),
        h('button', { type: 'submit' }, 'Sign in'),
        h('p', { role: 'alert' }, error.value),
      ])
  },
})

const SignedIn = defineComponent({
  setup() {
    const { session } = useSession()
    const { phase, pause, resume } = useIdle()
    const who = ref('')
    void session
      ?.fetch('/api/me')
      .then(r => r.json())
      .then((me: { username: string }) => (who.value = me.username))
    return () =>
      h('div', { id: 'app' }, [
        h('p', null, ['Signed in as ', h('strong', { id: 'who' }, who.value)]),
        h('p', null, ['Idle: ', h('span', { id: 'phase' }, phase.value)]),
        h('button', { type: 'button', id: 'pause', onClick: pause }, 'Pause idle'),
        h('button', { type: 'button', id: 'resume', onClick: resume }, 'Resume idle'),
        h('button', { type: 'button', id: 'logout', onClick: () => void session?.logout() }, 'Sign out'),
      ])
  },
})

const Warning = defineComponent({
  setup() {
    const { session } = useSession()
    const { phase, remainingMs, extend } = useIdle()
    return () =>
      phase.value !== 'warning'
        ? null
        : h('div', { role: 'alertdialog', 'aria-label': 'Session timeout', id: 'warning' }, [
            h('p', null, `Signing out in ${Math.ceil((remainingMs.value ?? 0) / 1000)} s`),
            h('button', { type: 'button', onClick: () => void extend() }, 'Stay signed in'),
            h('button', { type: 'button', onClick: () => void session?.logout() }, 'Sign out now'),
          ])
  },
})

const Status = defineComponent({
  setup() {
    const { state } = useSession()
    return () =>
      h('main', null, [
        h('p', { id: 'status', role: 'status' }, state.value),
        state.value === 'authenticated' || state.value === 'warning' ? h(SignedIn) : h(SignIn),
      ])
  },
})

const Root = defineComponent({
  setup() {
    // "Remount" unmounts the components that use the session and mounts them again: the same session goes on.
    const generation = ref(0)
    return () =>
      h('div', null, [
        h('h1', null, 'session-vault + Vue'),
        h('button', { type: 'button', id: 'remount', onClick: () => generation.value++ }, 'Remount'),
        h('div', { key: generation.value }, [h(Status), h(Warning)]),
      ])
  },
})

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
createApp(Root).use(sessionVault(options)).mount('#root')
