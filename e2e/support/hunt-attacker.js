// The attacker: a script injected into the page (e2e/support/hunt.ts
// evaluates this file's one function expression) that hunts for token strings
// everywhere a page script can look. It returns where each needle was found,
// and how much it searched, so a test can prove it looked.
// Over 300 lines: one function (it is evaluated as a single expression), a place to search per block.
;(async function svHunt(needles, options) {
  const nodeCap = options?.nodeCap || 60000
  const findings = []
  const stats = {
    globalNodes: 0,
    globalStrings: 0,
    globalCapped: false,
    reachedSession: false,
    localStorage: 0,
    sessionStorage: 0,
    idbDatabases: 0,
    idbStores: 0,
    idbValues: 0,
    cookieLength: 0,
    caches: 0,
    cacheEntries: 0,
    performanceEntries: 0,
    consoleRecords: 0,
    messageRecords: 0,
    messagesBySource: {},
    postedRecords: 0,
  }
  const reported = new Set()
  const check = (where, path, text) => {
    if (typeof text !== 'string' || text.length < 8) return
    for (let i = 0; i < needles.length; i++) {
      if (text.includes(needles[i])) {
        const key = `${where}|${path}|${i}`
        if (reported.has(key)) continue
        reported.add(key)
        findings.push({ where, path: String(path).slice(0, 300), needle: i })
      }
    }
  }
  const utf8 = new TextDecoder('utf-8')
  const utf16 = new TextDecoder('utf-16le')
  const decode = bytes => [utf8.decode(bytes), utf16.decode(bytes.subarray(0, bytes.length - (bytes.length % 2)))]

  /** Deep flattening of a (cloned) value into text parts; Blobs are read. */
  async function flatten(value) {
    const out = []
    const seen = new WeakSet()
    const blobs = []
    const walk = (v, depth) => {
      if (v === null || v === undefined) return
      const type = typeof v
      if (type === 'string') return void out.push(v)
      if (type !== 'object' && type !== 'function') return void out.push(String(v))
      if (type === 'function' || seen.has(v) || depth > 16) return
      seen.add(v)
      try {
        if (v instanceof ArrayBuffer) return void out.push(...decode(new Uint8Array(v)))
        if (ArrayBuffer.isView(v)) return void out.push(...decode(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)))
        if (v instanceof Blob) return void blobs.push(v)
        if (v instanceof Map) {
          for (const [k, x] of v) {
            walk(k, depth + 1)
            walk(x, depth + 1)
          }
          return
        }
        if (v instanceof Set) {
          for (const x of v) walk(x, depth + 1)
          return
        }
        if (v instanceof Error) out.push(String(v.name), String(v.message))
        for (const key of Object.getOwnPropertyNames(v)) {
          out.push(key)
          try {
            walk(v[key], depth + 1)
          } catch {
            /* getter threw */
          }
        }
      } catch {
        /* exotic */
      }
    }
    walk(value, 0)
    for (const blob of blobs) out.push(await blob.text().catch(() => ''))
    return out.join('\u0000')
  }

  // 1. Every global reachable from window: breadth-first over own property
  //    names and symbols (non-enumerable too), getters of the prototype chain
  //    called on the object itself, Map/Set contents, buffers decoded as text,
  //    the source of non-native functions.
  {
    const seen = new Set([])
    const queue = [window]
    const paths = new Map([[window, 'window']])
    const accessorsOf = new Map()
    const protoAccessors = proto => {
      let names = accessorsOf.get(proto)
      if (!names) {
        names = []
        try {
          for (const key of Reflect.ownKeys(proto)) {
            const d = Object.getOwnPropertyDescriptor(proto, key)
            if (d?.get) names.push([key, d.get])
          }
        } catch {
          /* ignore */
        }
        accessorsOf.set(proto, names)
      }
      return names
    }
    const nameOf = key => (typeof key === 'symbol' ? `[${String(key)}]` : key)
    const visit = (value, path) => {
      if (value === null || value === undefined) return
      const type = typeof value
      if (type === 'string') {
        stats.globalStrings++
        return check('global', path, value)
      }
      if (type !== 'object' && type !== 'function') return
      if (seen.has(value)) return
      seen.add(value)
      paths.set(value, path)
      queue.push(value)
    }
    let head = 0
    while (head < queue.length) {
      if (stats.globalNodes >= nodeCap) {
        stats.globalCapped = true
        break
      }
      const obj = queue[head]
      queue[head++] = undefined
      stats.globalNodes++
      const path = paths.get(obj)
      paths.delete(obj)
      if (obj === window.session) stats.reachedSession = true
      let keys = []
      try {
        keys = Reflect.ownKeys(obj)
      } catch {
        /* revoked proxy etc. */
      }
      const own = new Set(keys)
      for (const key of keys) {
        if (typeof key === 'string') check('global', `${path} (key)`, key)
        let value
        try {
          const d = Object.getOwnPropertyDescriptor(obj, key)
          if (!d) continue
          value = 'value' in d ? d.value : d.get ? d.get.call(obj) : undefined
        } catch {
          continue
        }
        visit(value, `${path}.${nameOf(key)}`)
      }
      // Getters inherited from the prototype chain, read with this object as the receiver.
      let proto
      try {
        proto = Object.getPrototypeOf(obj)
      } catch {
        proto = null
      }
      for (let p = proto, hops = 0; p && hops < 32; p = Object.getPrototypeOf(p), hops++) {
        for (const [key, get] of protoAccessors(p)) {
          if (own.has(key) || key === '__proto__') continue
          let value
          try {
            value = get.call(obj)
          } catch {
            continue
          }
          visit(value, `${path}.${nameOf(key)}`)
        }
      }
      if (proto) visit(proto, `${path}.__proto__`)
      try {
        if (obj instanceof Map) {
          let i = 0
          for (const [k, v] of obj) {
            visit(k, `${path}<key ${i}>`)
            visit(v, `${path}<value ${i++}>`)
          }
        } else if (obj instanceof Set) {
          let i = 0
          for (const v of obj) visit(v, `${path}<item ${i++}>`)
        } else if (obj instanceof ArrayBuffer) {
          for (const text of decode(new Uint8Array(obj))) check('global', `${path}<bytes>`, text)
        } else if (ArrayBuffer.isView(obj)) {
          for (const text of decode(new Uint8Array(obj.buffer, obj.byteOffset, obj.byteLength)))
            check('global', `${path}<bytes>`, text)
        } else if (typeof obj === 'function') {
          const source = Function.prototype.toString.call(obj)
          if (!source.endsWith('{ [native code] }')) check('global', `${path}<source>`, source)
        }
      } catch {
        /* ignore */
      }
    }
  }

  // 2. Web Storage.
  for (const name of ['localStorage', 'sessionStorage']) {
    try {
      const storage = window[name]
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)
        stats[name]++
        check(name, key, key)
        check(name, key, storage.getItem(key))
      }
    } catch {
      /* disabled */
    }
  }

  // 3. Every IndexedDB database, every store, every key and value.
  try {
    const request = r =>
      new Promise((resolve, reject) => {
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
    for (const info of await indexedDB.databases()) {
      stats.idbDatabases++
      const open = indexedDB.open(info.name)
      open.onupgradeneeded = () => open.transaction.abort()
      const db = await request(open)
      try {
        for (const storeName of db.objectStoreNames) {
          stats.idbStores++
          const store = db.transaction(storeName, 'readonly').objectStore(storeName)
          const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())])
          for (let i = 0; i < values.length; i++) {
            stats.idbValues++
            const where = `${info.name}/${storeName}/${String(keys[i]).slice(0, 80)}`
            check('indexedDB', where, await flatten([keys[i], values[i]]))
          }
        }
      } finally {
        db.close()
      }
    }
  } catch (error) {
    findings.push({ where: 'hunter-error', path: `indexedDB: ${error}`, needle: -1 })
  }

  // 4. Cookies visible to script.
  stats.cookieLength = document.cookie.length
  check('cookie', 'document.cookie', document.cookie)

  // 5. Cache Storage: every cache, every request, every response (headers and body).
  try {
    for (const name of await caches.keys()) {
      stats.caches++
      check('cacheStorage', `cache name ${name}`, name)
      const cache = await caches.open(name)
      for (const req of await cache.keys()) {
        stats.cacheEntries++
        check('cacheStorage', `${name} ${req.url}`, req.url)
        check('cacheStorage', `${name} ${req.url} request headers`, JSON.stringify([...req.headers]))
        const res = await cache.match(req)
        if (!res) continue
        check('cacheStorage', `${name} ${req.url} response headers`, JSON.stringify([...res.headers]))
        const bytes = new Uint8Array(await res.arrayBuffer())
        for (const text of decode(bytes)) check('cacheStorage', `${name} ${req.url} body`, text)
      }
    }
  } catch (error) {
    findings.push({ where: 'hunter-error', path: `caches: ${error}`, needle: -1 })
  }

  // 6. Performance entries (resource URLs and everything else they carry).
  for (const entry of performance.getEntries()) {
    stats.performanceEntries++
    let text
    try {
      text = JSON.stringify(entry)
    } catch {
      text = String(entry.name)
    }
    check('performance', `${entry.entryType} ${entry.name.slice(0, 120)}`, text)
    check('performance', `${entry.entryType} name`, entry.name)
  }

  // 7. What the taps (installed before the SDK) recorded: console output and messages.
  const taps = window.__svTaps ? await window.__svTaps() : null
  if (!taps) findings.push({ where: 'hunter-error', path: 'taps missing', needle: -1 })
  else {
    stats.consoleRecords = taps.console.length
    stats.messageRecords = taps.messages.length
    stats.postedRecords = taps.posted.length
    for (const [i, record] of taps.console.entries()) check('console', `console.${record.method} #${i}`, record.text)
    taps.messages.forEach((record, i) => {
      stats.messagesBySource[record.from] = (stats.messagesBySource[record.from] || 0) + 1
      check('message', `${record.from} message #${i}`, record.text)
    })
    for (const [i, record] of taps.posted.entries()) check('posted', `${record.to}.postMessage #${i}`, record.text)
  }

  return { findings, stats }
})
