/**
 * Passive capture listeners for user activity. The handler does O(1) work:
 * it hands the event's time to `onActivity`. Only trusted events count: a
 * script's synthetic events are not a person. A `pointermove` counts only when
 * the pointer really moved (browsers fire synthetic moves on scroll and layout).
 */
export function listenForActivity(events: readonly string[], onActivity: () => void): () => void {
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
  for (const name of events) addEventListener(name, handler, options)
  return () => {
    for (const name of events) removeEventListener(name, handler, options)
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
