/**
 * Passive capture listeners for user activity. The handler does O(1) work:
 * it hands the event's time to `onActivity`. Only trusted events count: a
 * script's synthetic events are not a person. A `pointermove` counts only when
 * the pointer really moved (browsers fire synthetic moves on scroll and layout).
 */
export function listenForActivity(
  events: readonly string[],
  onActivity: () => void,
  target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window,
): () => void {
  let lastX = NaN
  let lastY = NaN
  const handler = (event: Event) => {
    if (!event.isTrusted) return
    if (event.type === 'pointermove' || event.type === 'mousemove') {
      const { screenX, screenY } = event as PointerEvent
      if (screenX === lastX && screenY === lastY) return
      lastX = screenX
      lastY = screenY
    }
    onActivity()
  }
  const options: AddEventListenerOptions = { capture: true, passive: true }
  for (const name of events) target.addEventListener(name, handler, options)
  return () => {
    for (const name of events) target.removeEventListener(name, handler, options)
  }
}

/**
 * `idle.frames`: the same listeners in every same-origin iframe of the page,
 * present or added later, attached again when a frame navigates. Frames of
 * another origin cannot be listened to and are left alone.
 */
export function listenForFrameActivity(events: readonly string[], onActivity: () => void): () => void {
  const detach: (() => void)[] = []
  const watched = new WeakSet<HTMLIFrameElement>()
  const listening = new WeakSet<Window>()
  const attach = () => {
    for (const frame of document.querySelectorAll('iframe')) {
      if (!watched.has(frame)) {
        watched.add(frame)
        frame.addEventListener('load', attach)
        detach.push(() => frame.removeEventListener('load', attach))
      }
      try {
        const win = frame.contentWindow
        // Reading a cross-origin frame's document throws; about:blank and srcdoc frames share the page's origin.
        if (!win || listening.has(win) || !win.document) continue
        listening.add(win)
        detach.push(listenForActivity(events, onActivity, win))
      } catch {
        /* another origin */
      }
    }
  }
  const observer = new MutationObserver(attach)
  observer.observe(document.documentElement, { childList: true, subtree: true })
  attach()
  return () => {
    observer.disconnect()
    for (const undo of detach.splice(0)) undo()
  }
}

/**
 * Calls `onWake` when the page may have missed time: visible again, restored, focused, back online. Not activity.
 * All on `window` (`visibilitychange` bubbles up from the document): `document.addEventListener` can be
 * shadowed by an element named after it (DOM clobbering), `window`'s cannot.
 */
export function listenForWake(onWake: (event: Event) => void): () => void {
  const names = ['visibilitychange', 'pageshow', 'focus', 'online']
  for (const name of names) addEventListener(name, onWake)
  return () => {
    for (const name of names) removeEventListener(name, onWake)
  }
}
