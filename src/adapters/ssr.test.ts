// The adapters on the server: rendering touches no window, Worker or storage, and gives the markup
// the first client render gives (anonymous, inactive), so hydration matches. Run against the built
// files users import (dist/react.js, dist/vue.js), with the real react-dom/server and Vue renderer.
import { createElement } from 'react'
import { renderToString as renderReact } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString as renderVue } from 'vue/server-renderer'
import { SessionDialog, SessionProvider, useIdle, useSession } from '../../dist/react.js'
import { sessionVault, useIdle as useVueIdle, useSession as useVueSession } from '../../dist/vue.js'

const OPTIONS = {
  auth: { type: 'token', loginUrl: '/auth/login' },
  idle: { timeout: '15m', warnBefore: '1m' },
} as const

function Status() {
  const { session, state, info } = useSession()
  const { phase, remainingMs } = useIdle()
  return createElement(
    'p',
    null,
    `${session === null}|${state}|${info.authenticated}|${phase}|${remainingMs ?? 'none'}`,
    createElement(SessionDialog, { render: () => createElement('b', null, 'warning') }),
  )
}

const VueStatus = defineComponent({
  setup() {
    const { session, state, info } = useVueSession()
    const { phase, remainingMs } = useVueIdle()
    return () =>
      h(
        'p',
        `${session === null}|${state.value}|${info.value.authenticated}|${phase.value}|${remainingMs.value ?? 'none'}`,
      )
  },
})

describe('server rendering', () => {
  it('has no browser globals to touch here (the test would pass by accident otherwise)', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof Worker).toBe('undefined')
    expect(typeof localStorage).toBe('undefined')
  })

  it('React: SessionProvider with options, useSession, useIdle and SessionDialog render the signed-out state', () => {
    const html = renderReact(createElement(SessionProvider, { options: OPTIONS }, createElement(Status)))
    expect(html).toBe('<p>true|anonymous|false|inactive|none</p>')
  })

  it('Vue: the plugin provides no session on the server; the composables start anonymous and inactive', async () => {
    const app = createSSRApp(VueStatus).use(sessionVault(OPTIONS))
    expect(await renderVue(app)).toBe('<p>true|anonymous|false|inactive|none</p>')
  })
})
