// Page-side scenario steps shared by both drivers: the Playwright specs
// (e2e/support/scenarios.ts evaluates this file in the page) and the WebKit
// WebDriver suite (e2e/webkit/driver.ts injects it before each page-side
// step). A plain script, not a module, so either driver can evaluate it in any
// page of the origin (the harness, the /classic/ pages, the OAuth callback)
// without touching the page's CSP. It defines `window.svScenarios` once.
// Nothing here returns a token: results are statuses, shapes and booleans.
// Over 300 lines: a plain script evaluated whole in the page, so its steps cannot be split into modules.
;(() => {
  if (window.svScenarios) return
  const current = () => window.session || window.SessionVault?.current

  /** Requests of every body type through `session.fetch` to /api/echo; the echoed JSON of each. */
  async function bodyTypes(session = current()) {
    const echo = async (input, init) => {
      const response = await session.fetch(input, init)
      if (response.status !== 200) throw new Error(`echo answered ${response.status}`)
      return response.json()
    }
    const headers = () => {
      const h = new Headers({ 'X-Custom': 'custom value', Accept: 'application/x-test' })
      h.append('X-Multi', 'one')
      h.append('X-Multi', 'two')
      return h
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    const big = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256)
    const form = new FormData()
    form.append('field', 'välue')
    form.append(
      'file',
      new File([new Uint8Array([0, 1, 2, 253, 254, 255]), 'tail'], 'hello.bin', { type: 'application/x-bin' }),
    )
    return {
      get: await echo('/api/echo', { headers: headers() }),
      head: await session.fetch('/api/echo', { method: 'HEAD' }).then(r => ({ method: 'HEAD', status: r.status })),
      getRequest: await echo(new Request('/api/echo', { headers: headers() })),
      string: await echo('/api/echo', { method: 'POST', headers: headers(), body: 'héllo wörld ✓' }),
      arrayBuffer: await echo('/api/echo', { method: 'PUT', headers: headers(), body: all.buffer }),
      uint8Array: await echo('/api/echo', { method: 'PATCH', headers: headers(), body: big.subarray(10, 20) }),
      dataView: await echo('/api/echo', { method: 'POST', body: new DataView(big.buffer, 100, 5) }),
      blob: await echo('/api/echo', {
        method: 'POST',
        headers: headers(),
        body: new Blob(['blob ', all], { type: 'image/png' }),
      }),
      urlSearchParams: await echo('/api/echo', {
        method: 'POST',
        body: new URLSearchParams({ a: '1', b: 'two words', c: 'é&=' }),
      }),
      formData: await echo('/api/echo', { method: 'POST', headers: headers(), body: form }),
      json: await echo('/api/echo', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'ünïcode ✓', n: 1 }),
      }),
      deleteWithBody: await echo('/api/echo', {
        method: 'DELETE',
        headers: { 'Content-Type': 'application/json' },
        body: '{"id":1}',
      }),
      explicitType: await echo('/api/echo', {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.test+json' },
        body: '{}',
      }),
      request: await echo(new Request('/api/echo', { method: 'PUT', headers: headers(), body: 'from a Request' })),
    }
  }

  /**
   * A ReadableStream request body (two chunks, 13 bytes) POSTed to /api/echo through the vault:
   * `{ ok, value: { status, echo } }` or the error as data; beside it what a direct fetch did with
   * one (`sent`, or its error's name) and whether the engine sends and transfers request streams.
   */
  async function streamBody(session = current()) {
    const stream = () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('streamed '))
          controller.enqueue(new TextEncoder().encode('body'))
          controller.close()
        },
      })
    let duplexRead = false
    const typed = new Request(location.href, {
      method: 'POST',
      body: new ReadableStream(),
      get duplex() {
        duplexRead = true
        return 'half'
      },
    }).headers.has('Content-Type')
    let transfers = true
    try {
      const probe = new ReadableStream()
      structuredClone(probe, { transfer: [probe] })
    } catch {
      transfers = false
    }
    const direct = await fetch('/api/echo', { method: 'POST', body: stream(), duplex: 'half' }).then(
      () => 'sent',
      error => error?.name,
    )
    const engine = { requestStreams: duplexRead && !typed, transfersStreams: transfers, direct }
    try {
      const response = await session.fetch('/api/echo', { method: 'POST', body: stream(), duplex: 'half' })
      return { ok: true, engine, value: { status: response.status, echo: await response.json() } }
    } catch (error) {
      return { ok: false, engine, error: { name: error?.name, code: error?.code, message: error?.message } }
    }
  }

  /** `session.fetch('/api/status/<code>')` for each code: what the Response looks like. */
  async function statuses(codes, session = current()) {
    const out = {}
    for (const code of codes) {
      const response = await session.fetch(`/api/status/${code}`)
      out[code] = {
        isResponse: response instanceof Response,
        type: response.type,
        status: response.status,
        statusText: response.statusText,
        ok: response.ok,
        url: response.url,
        redirected: response.redirected,
        xStatus: response.headers.get('x-status'),
        contentType: response.headers.get('content-type'),
        cacheControl: response.headers.get('cache-control'),
        bodyIsNull: response.body === null,
        text: await response.text(),
      }
    }
    return out
  }

  /** `session.fetch(url)` with redirect 'follow', 'error' and 'manual': the outcome of each. */
  async function redirectModes(url, session = current()) {
    const run = async init => {
      try {
        const response = await session.fetch(url, init)
        return {
          status: response.status,
          type: response.type,
          ok: response.ok,
          redirected: response.redirected,
          url: response.url,
          bodyIsNull: response.body === null,
        }
      } catch (error) {
        return { error: error?.name, code: error?.code }
      }
    }
    return { follow: await run({}), error: await run({ redirect: 'error' }), manual: await run({ redirect: 'manual' }) }
  }

  /** An already-aborted signal, given in init and as a Request's own: what each `session.fetch` rejects with. */
  async function abortedBeforeSend(session = current()) {
    const settle = promise =>
      promise.then(
        response => ({ resolved: response.status }),
        error => ({ name: error?.name, isDomException: error instanceof DOMException }),
      )
    const controller = new AbortController()
    controller.abort()
    return {
      init: await settle(session.fetch('/api/me', { signal: controller.signal })),
      request: await settle(session.fetch(new Request('/api/me', { signal: controller.signal }))),
    }
  }

  /** Starts `session.fetch(url)` with a signal; `abortPending()` aborts it and resolves what the fetch settled with. */
  function startAbortable(url, session = current()) {
    const controller = new AbortController()
    const pending = session.fetch(url, { signal: controller.signal }).then(
      response => `resolved ${response.status}`,
      error => error?.name,
    )
    window.svScenarios.abortPending = () => {
      controller.abort()
      return pending
    }
  }

  /** The stream opened by `openStream`: its reader and the controller of its signal. */
  let opened
  const asData = error => ({ error: { name: error?.name, code: error?.code, message: error?.message } })

  /** `session.fetch(url)` with a signal, its body's reader kept for the steps below: `{ status }`. */
  async function openStream(url, session = current()) {
    const controller = new AbortController()
    const response = await session.fetch(url, { signal: controller.signal })
    opened = { controller, reader: response.body.getReader() }
    return { status: response.status }
  }

  /** The next chunk of the opened stream as text, `{ done: true }`, or the error as data. */
  async function readChunk() {
    try {
      const { done, value } = await opened.reader.read()
      return done ? { done: true } : { text: new TextDecoder().decode(value) }
    } catch (error) {
      return asData(error)
    }
  }

  /** Reads the opened stream to its end: every chunk's text, and the error that ended it, if one did. */
  async function readRest() {
    const texts = []
    for (;;) {
      const chunk = await readChunk()
      if (chunk.text === undefined) return { texts, ...chunk }
      texts.push(chunk.text)
    }
  }

  function abortStream() {
    opened.controller.abort()
  }

  async function cancelStream() {
    await opened.reader.cancel('not needed')
  }

  /** The feed `sseStart` opened with session-vault/sse: what it got so far, and how it ended. */
  let feed

  /**
   * `subscribe(session, url, { retry })` from the built /assets/sse.js (the page's own copy of the
   * core, so the same session class): every event, open and error is kept for `sseView`.
   */
  async function sseStart(url, options = {}, session = current()) {
    const { subscribe } = await import('/assets/sse.js')
    const controller = new AbortController()
    const state = { events: [], opens: 0, errors: [], settled: null, controller }
    feed = state
    subscribe(session, url, {
      ...options,
      signal: controller.signal,
      onEvent: event => state.events.push(event),
      onOpen: () => state.opens++,
      onError: error => state.errors.push(asData(error).error),
    }).then(
      () => (state.settled = { resolved: true }),
      error => (state.settled = asData(error)),
    )
    return { started: true }
  }

  /** The feed's events (`id`, `type`, and `n` from the JSON data), opens, errors and end. */
  function sseView() {
    const { events, opens, errors, settled } = feed
    const view = events.map(({ lastEventId, type, data }) => ({ id: lastEventId, type, n: JSON.parse(data).n }))
    return { events: view, opens, errors, settled }
  }

  function sseAbort() {
    feed.controller.abort()
  }

  /** SHA-256 (hex) and length of `url`'s body, read through `session.fetch` (or `fetch` when `direct`). */
  async function digestOf(url, direct = false, session = current()) {
    const response = direct ? await fetch(url) : await session.fetch(url)
    const body = await response.arrayBuffer()
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
    return { length: body.byteLength, sha256: Array.from(hash, b => b.toString(16).padStart(2, '0')).join('') }
  }

  /** `n` concurrent `session.fetch(url)`s of an endpoint that answers alice's profile: 200 each, or what went wrong. */
  function concurrentFetches(url, n, session = current()) {
    return Promise.all(
      Array.from({ length: n }, async () => {
        try {
          const response = await session.fetch(url)
          const body = await response.json()
          return response.status === 200 && body.username === 'alice'
            ? 200
            : `${response.status} ${JSON.stringify(body)}`
        } catch (error) {
          return `${error?.name} ${error?.code ?? ''} ${error?.message}`
        }
      }),
    )
  }

  /** What the origin keeps in the page's view: storage keys, IndexedDB names, Cache Storage names, script-visible cookies. */
  async function browserStorage() {
    return {
      localStorage: Object.keys(localStorage),
      sessionStorage: Object.keys(sessionStorage),
      databases: (await indexedDB.databases()).map(db => db.name || '').sort(),
      caches: (await caches.keys()).sort(),
      documentCookie: document.cookie,
    }
  }

  /**
   * Writes app data everywhere an app would: localStorage (`<prefix>-profile`),
   * sessionStorage (`<prefix>-draft`), an IndexedDB database (`app-db`, or
   * `<prefix>-app`) with one record, a Cache Storage entry (`<prefix>-cache`)
   * and a script-visible cookie (`<prefix>_pref`).
   */
  async function seedAppStorage(prefix = 'app', path = '/api/notes-snapshot') {
    localStorage.setItem(`${prefix}-profile`, JSON.stringify({ user: 'alice' }))
    sessionStorage.setItem(`${prefix}-draft`, 'half-written note')
    await new Promise((resolve, reject) => {
      const open = indexedDB.open(prefix === 'app' ? 'app-db' : `${prefix}-app`, 1)
      open.onupgradeneeded = () => open.result.createObjectStore('notes')
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const db = open.result
        const tx = db.transaction('notes', 'readwrite')
        tx.objectStore('notes').put({ text: 'private note' }, 1)
        tx.oncomplete = () => {
          db.close()
          resolve()
        }
        tx.onerror = () => reject(tx.error)
      }
    })
    const cache = await caches.open(`${prefix}-cache`)
    await cache.put(path, new Response('{"notes":["private"]}', { headers: { 'Content-Type': 'application/json' } }))
    // biome-ignore lint/suspicious/noDocumentCookie: an app's script-visible cookie is what this step seeds
    document.cookie = `${prefix}_pref=dark; path=/; SameSite=Strict`
  }

  /** Keys and values of an object store, or null when the database or the store does not exist (never creates it). */
  async function storeEntries(database, storeName) {
    if (!(await indexedDB.databases()).some(db => db.name === database)) return null
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(database)
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const db = open.result
        if (!db.objectStoreNames.contains(storeName)) {
          db.close()
          return resolve(null)
        }
        const entries = []
        const cursor = db.transaction(storeName, 'readonly').objectStore(storeName).openCursor()
        cursor.onsuccess = () => {
          const at = cursor.result
          if (!at) {
            db.close()
            return resolve(entries)
          }
          entries.push({ key: String(at.key), value: at.value })
          at.continue()
        }
        cursor.onerror = () => reject(cursor.error)
      }
    })
  }

  /**
   * Every IndexedDB record of the origin, as an injected script would read it:
   * values with CryptoKeys replaced by '[CryptoKey]', and for each CryptoKey
   * its type, `extractable`, and whether `exportKey` really refused it.
   */
  async function readIndexedDB() {
    const out = []
    const request = r =>
      new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue
      const db = await request(indexedDB.open(name))
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName)
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())])
        for (let i = 0; i < keys.length; i++) {
          const value = values[i]
          const found = []
          const plain = JSON.parse(
            JSON.stringify(value, (_k, v) => {
              if (v instanceof CryptoKey) {
                found.push(v)
                return '[CryptoKey]'
              }
              return v
            }) ?? 'null',
          )
          const cryptoKeys = []
          for (const key of found) {
            const exportable = await crypto.subtle.exportKey('jwk', key).then(
              () => true,
              () => false,
            )
            cryptoKeys.push({ type: key.type, extractable: key.extractable, exportable, algorithm: key.algorithm.name })
          }
          out.push({ db: name, store: storeName, key: String(keys[i]), value: plain, cryptoKeys })
        }
      }
      db.close()
    }
    return out
  }

  /** The default dialog's state, read through the host's open shadow root; null when there is no host. */
  function dialogSnapshot() {
    const host = document.querySelector('[data-session-vault=dialog]')
    const root = host?.shadowRoot
    const dialog = root?.querySelector('dialog')
    if (!dialog) return null
    return {
      open: dialog.open,
      modal: dialog.matches(':modal'),
      role: dialog.getAttribute('role'),
      reason: dialog.getAttribute('data-reason'),
      countdown: root.querySelector('[part~=countdown]')?.textContent || null,
      buttons: [...dialog.querySelectorAll('button')]
        .filter(button => button.checkVisibility())
        .map(button => button.textContent || ''),
      lang: dialog.getAttribute('lang'),
      dir: dialog.getAttribute('dir'),
      direction: getComputedStyle(dialog).direction,
      title: root.querySelector('[part~=title]')?.textContent || null,
      message: root.querySelector('[part~=message]')?.textContent || null,
      live: root.querySelector('[part~=live]')?.textContent || null,
      /** Each visible button's left edge, by its label. */
      buttonLefts: Object.fromEntries(
        [...dialog.querySelectorAll('button')]
          .filter(button => button.checkVisibility())
          .map(button => [button.textContent || '', button.getBoundingClientRect().left]),
      ),
    }
  }

  /**
   * An editor in a frame: a same-origin iframe (about:blank inherits the origin) named `name`
   * with an `<input id="text">`, its own window and document.
   */
  async function editorFrame(name = 'editor') {
    const frame = document.createElement('iframe')
    frame.name = name
    // Firefox replaces an empty frame's first about:blank document once: write into the one that stays.
    const loaded = new Promise(resolve => frame.addEventListener('load', resolve, { once: true }))
    document.body.append(frame)
    await Promise.race([loaded, new Promise(resolve => setTimeout(resolve, 500))])
    const input = frame.contentDocument.createElement('input')
    input.id = 'text'
    frame.contentDocument.body.append(input)
    return name
  }

  /** Sets `<html lang>` (the dialog's default language). */
  function setDocumentLang(lang) {
    document.documentElement.lang = lang
    return lang
  }

  /** The file names of the resources this page loaded whose name matches `pattern`. */
  function loadedFiles(pattern) {
    const test = new RegExp(pattern)
    return performance
      .getEntriesByType('resource')
      .map(entry => new URL(entry.name).pathname.split('/').pop())
      .filter(name => test.test(name))
  }

  /**
   * The negative check of the token hunt: leaks `token` into every place a page
   * script can read (globals of several shapes, the DOM, Web Storage, a cookie,
   * IndexedDB, Cache Storage, the console, a MessageChannel and a
   * BroadcastChannel message, a resource URL).
   */
  async function leakEverywhere(token) {
    const w = window
    w.__leakNested = { a: [1, { m: new Map([['k', { t: token }]]) }] }
    Object.defineProperty(window, '__leakHidden', {
      enumerable: false,
      configurable: true,
      value: { deeper: { x: `Bearer ${token}` } },
    })
    class Holder {
      get secret() {
        return token
      }
    }
    w.__leakGetter = { holder: new Holder() }
    w.__leakBytes = new TextEncoder().encode(token)
    document.body.dataset.leak = token
    localStorage.setItem('leak', JSON.stringify({ token }))
    sessionStorage.setItem('leak', token)
    // biome-ignore lint/suspicious/noDocumentCookie: the negative check leaks a token into a script-visible cookie on purpose
    document.cookie = `leak=${token}; path=/`
    await new Promise((resolve, reject) => {
      const open = indexedDB.open('leak-db', 1)
      open.onupgradeneeded = () => open.result.createObjectStore('kv')
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const tx = open.result.transaction('kv', 'readwrite')
        tx.objectStore('kv').put({ nested: [{ t: token }] }, 'k')
        tx.oncomplete = () => {
          open.result.close()
          resolve()
        }
        tx.onerror = () => reject(tx.error)
      }
    })
    const cache = await caches.open('leak-cache')
    await cache.put('/leak', new Response(`body ${token}`))
    console.log('debug', { deep: { t: token } })
    await new Promise(resolve => {
      const { port1, port2 } = new MessageChannel()
      port1.onmessage = () => resolve()
      const bytes = new TextEncoder().encode(token).buffer
      port2.postMessage({ bytes }, [bytes])
    })
    await new Promise(resolve => {
      const a = new BroadcastChannel('leak')
      const b = new BroadcastChannel('leak')
      a.addEventListener('message', () => resolve())
      b.postMessage(token)
    })
    await fetch(`/e2e/support/page.html?leak=${token}`)
  }

  /** Wipes what the origin keeps in script reach (between tests of one WebDriver session): storage, databases, caches, cookies. */
  async function wipeOrigin() {
    localStorage.clear()
    sessionStorage.clear()
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue
      await new Promise(resolve => {
        const request = indexedDB.deleteDatabase(name)
        request.onsuccess = request.onerror = request.onblocked = () => resolve()
      })
    }
    for (const name of await caches.keys()) await caches.delete(name)
    for (const cookie of document.cookie.split(';')) {
      const name = cookie.split('=')[0].trim()
      // biome-ignore lint/suspicious/noDocumentCookie: wiping the origin's script-visible cookies, as an app would
      if (name) document.cookie = `${name}=; Max-Age=0; path=/`
    }
    return browserStorage()
  }

  /** Which platform APIs the SDK relies on exist in this page (and in a worker: `worker` is filled in by the caller). */
  function platform() {
    return {
      secureContext: isSecureContext,
      locks: typeof navigator.locks === 'object' && navigator.locks !== null,
      broadcastChannel: typeof BroadcastChannel === 'function',
      trustedTypes: typeof trustedTypes === 'object',
      requestBody: 'body' in Request.prototype,
      indexedDBDatabases: typeof indexedDB.databases === 'function',
      cryptoSubtle: typeof crypto.subtle === 'object',
      transferableStreams: (() => {
        try {
          const stream = new ReadableStream()
          new MessageChannel().port1.postMessage(stream, [stream])
          return true
        } catch {
          return false
        }
      })(),
      userAgent: navigator.userAgent,
    }
  }

  Object.defineProperty(window, 'svScenarios', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: {
      bodyTypes,
      streamBody,
      statuses,
      redirectModes,
      abortedBeforeSend,
      startAbortable,
      openStream,
      readChunk,
      readRest,
      abortStream,
      cancelStream,
      sseStart,
      sseView,
      sseAbort,
      digestOf,
      concurrentFetches,
      browserStorage,
      seedAppStorage,
      storeEntries,
      readIndexedDB,
      dialogSnapshot,
      setDocumentLang,
      editorFrame,
      loadedFiles,
      leakEverywhere,
      wipeOrigin,
      platform,
    },
  })
})()
