import type { NormalizedDialog } from '../options.js'
import type { SessionEvents } from '../types.js'
import { direction, remainingFormat } from './format.js'
import { DIALOG_CSS } from './styles.js'
import { ENGLISH, type LocaleTexts, localeTexts, toMessage } from './texts.js'

/** The part of a session the dialog uses. */
export interface DialogSession {
  on<K extends keyof SessionEvents>(name: K, handler: (payload: SessionEvents[K]) => void): () => void
  extend(): Promise<void>
  logout(): Promise<void>
}

let sheet: CSSStyleSheet | undefined

/** `document[name]` read on Document.prototype, so `<img name="body">` and the like (DOM clobbering) cannot shadow it. */
// biome-ignore lint/suspicious/noExplicitAny: a Document member picked by name; each caller knows its type
const doc = (name: string): any => Reflect.get(Document.prototype, name, document)

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc('createElement').call(document, tag) as HTMLElementTagNameMap[K]
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value)
  if (text !== undefined) node.textContent = text
  return node
}

/** `<html lang>` when it is a valid language tag, else English. */
function documentLocale(): string {
  try {
    return Intl.getCanonicalLocales(doc('documentElement').lang || 'en')[0]!
  } catch {
    return 'en'
  }
}

/**
 * The dialog in its language: the default texts of `options.locale` (else the document's),
 * under the app's own. When that language's module does not load, English texts are shown
 * and `textsFailed` hears why.
 */
export async function createDialog(
  session: DialogSession,
  options: NormalizedDialog,
  textsFailed: (locale: string, error: unknown) => void,
): Promise<WarningDialog> {
  const locale = options.locale ?? documentLocale()
  let defaults = ENGLISH
  try {
    defaults = await localeTexts(locale)
  } catch (error) {
    textsFailed(locale, error)
  }
  return new WarningDialog(session, options, locale, defaults)
}

/**
 * The default idle warning: a native modal `<dialog role="alertdialog">` in a
 * shadow root, built with DOM APIs and styled with a constructable stylesheet
 * (no HTML parsing, no inline styles: it works under a strict CSP with Trusted
 * Types). The visible countdown updates every second; screen readers hear it
 * through a separate polite live region only when the warning opens, every
 * `announceEvery`, and every second of the last ten.
 */
export class WarningDialog {
  readonly #texts: Omit<LocaleTexts, 'idleMessage' | 'absoluteMessage'> &
    Record<'idleMessage' | 'absoluteMessage', (remaining: string) => string>
  readonly #locale: string
  readonly #digital: (ms: number) => string
  readonly #spoken: (ms: number) => string
  readonly #unsubscribe: (() => void)[]
  #host: HTMLElement | undefined
  #parts:
    | {
        dialog: HTMLDialogElement
        message: HTMLElement
        countdown: HTMLElement
        live: HTMLElement
        primary: HTMLButtonElement
      }
    | undefined
  #reason: 'idle' | 'absolute' = 'idle'
  #returnFocus: Element | null = null
  #lastAnnounced = 0

  /** Loaded on demand: this module (with its formats and texts) imports nothing of the main bundle at run time. */
  readonly #session: DialogSession
  readonly #options: NormalizedDialog

  constructor(session: DialogSession, options: NormalizedDialog, locale: string, defaults: LocaleTexts) {
    this.#session = session
    this.#options = options
    this.#locale = locale
    const { formatRemaining, ...texts } = { ...defaults, ...options.texts }
    this.#texts = {
      ...texts,
      idleMessage: toMessage(texts.idleMessage),
      absoluteMessage: toMessage(texts.absoluteMessage),
    }
    const format = formatRemaining ? { digital: formatRemaining, spoken: formatRemaining } : remainingFormat(locale)
    this.#digital = format.digital
    this.#spoken = format.spoken
    this.#unsubscribe = [
      session.on('warning', ({ reason, remainingMs }) => this.open(reason, remainingMs)),
      session.on('tick', ({ remainingMs }) => this.update(remainingMs)),
      session.on('extended', () => this.close()),
      session.on('logout', () => this.close()),
    ]
  }

  open(reason: 'idle' | 'absolute', remainingMs: number): void {
    this.#reason = reason
    const parts = this.#build(reason)
    if (!parts.dialog.open) {
      this.#returnFocus = doc('activeElement')
      parts.dialog.showModal()
    }
    parts.primary.focus()
    this.#lastAnnounced = remainingMs
    this.update(remainingMs, true)
  }

  update(remainingMs: number, announce = false): void {
    const parts = this.#parts
    if (!parts?.dialog.open) return
    const text = this.#digital(remainingMs)
    const message = this.#reason === 'idle' ? this.#texts.idleMessage : this.#texts.absoluteMessage
    parts.countdown.textContent = text
    parts.message.textContent = message(text)
    const due = this.#lastAnnounced - remainingMs >= this.#options.announceEvery || remainingMs <= 10_000
    if (announce || due) {
      this.#lastAnnounced = remainingMs
      parts.live.textContent = message(this.#spoken(remainingMs))
    }
  }

  close(): void {
    const dialog = this.#parts?.dialog
    if (!dialog?.open) return
    dialog.close()
    if (this.#returnFocus instanceof HTMLElement && this.#returnFocus.isConnected) this.#returnFocus.focus()
    this.#returnFocus = null
  }

  destroy(): void {
    this.close()
    for (const off of this.#unsubscribe) off()
    this.#host?.remove()
    this.#host = this.#parts = undefined
  }

  #build(reason: 'idle' | 'absolute') {
    if (this.#parts && this.#host?.isConnected && this.#parts.dialog.dataset.reason === reason) return this.#parts
    this.#host?.remove()
    const host = el('div', { 'data-session-vault': 'dialog' })
    const root = host.attachShadow({ mode: 'open' })
    sheet ??= new CSSStyleSheet()
    sheet.replaceSync(DIALOG_CSS)
    root.adoptedStyleSheets = [sheet]
    const dialog = el('dialog', {
      role: 'alertdialog',
      'aria-modal': 'true',
      'aria-labelledby': 'sv-title',
      'aria-describedby': 'sv-message',
      part: 'dialog',
      'data-reason': reason,
      lang: this.#locale,
      dir: direction(this.#locale),
    })
    const title = el('h2', { id: 'sv-title', part: 'title' }, this.#texts.title)
    const message = el('p', { id: 'sv-message', part: 'message' })
    const countdown = el('p', { class: 'countdown', part: 'countdown', 'aria-hidden': 'true' })
    const live = el('p', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', part: 'live' })
    const actions = el('div', { class: 'actions', part: 'actions' })
    const stay = el('button', { type: 'button', class: 'primary', part: 'stay-button' }, this.#texts.stay)
    const signOut = el('button', { type: 'button', class: 'secondary', part: 'sign-out-button' }, this.#texts.signOut)
    const dismiss = el('button', { type: 'button', class: 'primary', part: 'dismiss-button' }, this.#texts.dismiss)
    stay.addEventListener('click', () => void this.#session.extend())
    signOut.addEventListener('click', () => void this.#session.logout())
    dismiss.addEventListener('click', () => this.close())
    dialog.addEventListener('keydown', event => {
      if (event.key !== 'Tab') return
      const buttons = [...actions.querySelectorAll('button')]
      const edge = event.shiftKey ? buttons[0] : buttons[buttons.length - 1]
      if (root.activeElement === edge || !buttons.includes(root.activeElement as HTMLButtonElement)) {
        event.preventDefault()
        ;(event.shiftKey ? buttons[buttons.length - 1] : buttons[0])!.focus()
      }
    })
    dialog.addEventListener('cancel', event => {
      event.preventDefault()
      if (this.#reason === 'idle') void this.#session.extend()
      else this.close()
    })
    if (reason === 'idle') actions.append(signOut, stay)
    else actions.append(signOut, dismiss)
    dialog.append(title, message, countdown, live, actions)
    root.append(dialog)
    ;(this.#options.container ?? (doc('body') as HTMLElement)).append(host)
    this.#host = host
    return (this.#parts = { dialog, message, countdown, live, primary: reason === 'idle' ? stay : dismiss })
  }
}
