// Clock skew (issue 11, item 1) in WebKit: the reference server's clock 20 minutes off the
// browser's, epoch deadlines only. The scenario every engine runs
// (e2e/support/clock-skew-scenarios.ts; Chromium and Firefox: e2e/idle/clock-skew.spec.ts).
import { describe, expect, test } from 'vitest'
import {
  SKEW_IDLE,
  SKEW_LIFETIMES,
  SKEWS,
  skewServerClock,
  staysSignedInAndWarnsOnServerTime,
} from '../support/clock-skew-scenarios.js'
import { useWebKit, webkitTab } from './driver.js'

const wk = useWebKit({ lifetimes: SKEW_LIFETIMES })

describe('WebKit: clock skew', () => {
  test.each(SKEWS)(
    "token mode, the server's clock %s the browser's: signed in after a keepalive, the warning on the server's time",
    async (_, offset) => {
      await skewServerClock(wk.server, offset)
      await wk.signedIn({ idle: SKEW_IDLE })
      const tab = { ...webkitTab(wk), extend: async () => void (await wk.run(() => window.session.extend())) }
      await staysSignedInAndWarnsOnServerTime(tab, expect)
    },
  )
})
