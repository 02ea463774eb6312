// Attacker taps, installed with page.addInitScript BEFORE any page script (so
// before the SDK loads). They only observe: every message the page receives
// (from a Worker, a MessagePort, a BroadcastChannel or the window) and every
// console call are recorded as flattened text in a closure, out of reach of
// the global walk; `window.__svTaps()` hands out a copy to the hunter
// (e2e/support/hunt-attacker.js).
;(() => {
  if (window.__svTaps) return
  const records = { console: [], messages: [], posted: [] }
  const seenEvents = new WeakSet()
  const utf8 = new TextDecoder('utf-8')
  const utf16 = new TextDecoder('utf-16le')

  /** Deep, cycle-safe flattening of any value into text (structured-clone types included). */
  function flatten(value, out, seen, depth) {
    if (value === null || value === undefined) return
    const type = typeof value
    if (type === 'string') return void out.push(value)
    if (type === 'number' || type === 'boolean' || type === 'bigint' || type === 'symbol')
      return void out.push(String(value))
    if (type === 'function') return
    if (seen.has(value) || depth > 12) return
    seen.add(value)
    try {
      if (
        value instanceof ArrayBuffer ||
        (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)
      ) {
        const bytes = new Uint8Array(value)
        out.push(utf8.decode(bytes), utf16.decode(bytes.subarray(0, bytes.length - (bytes.length % 2))))
        return
      }
      if (ArrayBuffer.isView(value)) {
        const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
        out.push(utf8.decode(bytes), utf16.decode(bytes.subarray(0, bytes.length - (bytes.length % 2))))
        return
      }
      if (typeof Blob === 'function' && value instanceof Blob) {
        // Read later; the hunter awaits pending reads.
        pending.push(
          value.text().then(
            text => out.push(text),
            () => {},
          ),
        )
        return
      }
      if (value instanceof Map) {
        for (const [k, v] of value) {
          flatten(k, out, seen, depth + 1)
          flatten(v, out, seen, depth + 1)
        }
        return
      }
      if (value instanceof Set) {
        for (const v of value) flatten(v, out, seen, depth + 1)
        return
      }
      if (value instanceof Error) out.push(String(value.name), String(value.message), String(value.stack))
      if (typeof MessagePort === 'function' && value instanceof MessagePort) return
      for (const key of Object.getOwnPropertyNames(value)) {
        out.push(key)
        let v
        try {
          v = value[key]
        } catch {
          continue
        }
        flatten(v, out, seen, depth + 1)
      }
    } catch {
      /* exotic object: skip */
    }
  }
  const pending = []

  /** The flattened parts of a value (an array: a Blob's text is appended when read). */
  function textOf(value) {
    const out = []
    flatten(value, out, new WeakSet(), 0)
    return out
  }

  function recordEvent(event, where) {
    try {
      if (!event || typeof event !== 'object' || seenEvents.has(event)) return
      seenEvents.add(event)
      const target = event.currentTarget || event.target
      const from =
        where ||
        (typeof Worker === 'function' && target instanceof Worker
          ? 'worker'
          : typeof MessagePort === 'function' && target instanceof MessagePort
            ? 'port'
            : typeof BroadcastChannel === 'function' && target instanceof BroadcastChannel
              ? 'broadcast'
              : 'window')
      records.messages.push({ from, text: textOf(event.data) })
    } catch {
      /* never disturb the page */
    }
  }

  // 1. addEventListener('message', ...) on any EventTarget: wrap the listener.
  const wrappers = new WeakMap()
  const wrap = listener => {
    if (!listener || (typeof listener !== 'function' && typeof listener !== 'object')) return listener
    let wrapped = wrappers.get(listener)
    if (!wrapped) {
      wrapped = function (event) {
        recordEvent(event)
        return typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event)
      }
      wrappers.set(listener, wrapped)
    }
    return wrapped
  }
  const proto = EventTarget.prototype
  const add = proto.addEventListener
  const remove = proto.removeEventListener
  proto.addEventListener = function (type, listener, options) {
    return add.call(this, type, type === 'message' ? wrap(listener) : listener, options)
  }
  proto.removeEventListener = function (type, listener, options) {
    return remove.call(
      this,
      type,
      type === 'message' && listener ? wrappers.get(listener) || listener : listener,
      options,
    )
  }

  // 2. onmessage setters of Worker, MessagePort, BroadcastChannel and the window.
  const handlers = new WeakMap()
  const tapSetter = (owner, name) => {
    const descriptor = owner && Object.getOwnPropertyDescriptor(owner, name)
    if (!descriptor?.set) return
    Object.defineProperty(owner, name, {
      configurable: true,
      enumerable: descriptor.enumerable,
      get() {
        return handlers.has(this) ? handlers.get(this) : descriptor.get.call(this)
      },
      set(fn) {
        handlers.set(this, fn)
        descriptor.set.call(
          this,
          typeof fn === 'function'
            ? function (event) {
                recordEvent(event)
                return fn.call(this, event)
              }
            : fn,
        )
      },
    })
  }
  for (const ctor of [self.Worker, self.MessagePort, self.BroadcastChannel])
    if (ctor) tapSetter(ctor.prototype, 'onmessage')
  tapSetter(window, 'onmessage')
  tapSetter(Window.prototype, 'onmessage')

  // 3. Every Worker gets our own listener too, whoever listens (or not).
  if (self.Worker) {
    const OriginalWorker = self.Worker
    self.Worker = new Proxy(OriginalWorker, {
      construct(target, args, newTarget) {
        const worker = Reflect.construct(target, args, newTarget)
        add.call(worker, 'message', event => recordEvent(event, 'worker'))
        return worker
      },
    })
  }
  add.call(window, 'message', event => recordEvent(event, 'window'))

  // 4. What the page posts (to workers, ports, channels): it must not hold a token either.
  for (const ctor of [self.Worker, self.MessagePort, self.BroadcastChannel]) {
    const p = ctor?.prototype
    if (!p || typeof p.postMessage !== 'function') continue
    const post = p.postMessage
    p.postMessage = function (message, ...rest) {
      try {
        records.posted.push({ to: ctor.name, text: textOf(message) })
      } catch {
        /* ignore */
      }
      return post.call(this, message, ...rest)
    }
  }

  // 5. Console output.
  for (const method of [
    'log',
    'info',
    'warn',
    'error',
    'debug',
    'trace',
    'dir',
    'dirxml',
    'table',
    'assert',
    'group',
    'groupCollapsed',
    'count',
    'timeLog',
  ]) {
    const original = console[method]
    if (typeof original !== 'function') continue
    console[method] = function (...args) {
      try {
        records.console.push({ method, text: textOf(args) })
      } catch {
        /* ignore */
      }
      return original.apply(this, args)
    }
  }

  Object.defineProperty(window, '__svTaps', {
    configurable: false,
    enumerable: false,
    value: async () => {
      await Promise.all(pending.splice(0))
      const copy = list => list.map(record => ({ ...record, text: record.text.join('\u0000') }))
      return { console: copy(records.console), messages: copy(records.messages), posted: copy(records.posted) }
    },
  })
})()
