/** The dialog's default texts: English built in, the other languages loaded on demand. */
import type { DialogTexts } from '../types.js'

/** One language's default texts; `{remaining}` in a message stands for the remaining time. */
export type LocaleTexts = Record<'title' | 'idleMessage' | 'absoluteMessage' | 'stay' | 'signOut' | 'dismiss', string>

export const ENGLISH: LocaleTexts = {
  title: 'Your session is about to expire',
  idleMessage: 'You will be signed out in {remaining} because of inactivity.',
  absoluteMessage: 'Your session reaches its time limit in {remaining}. Save your work.',
  stay: 'Stay signed in',
  signOut: 'Sign out now',
  dismiss: 'Continue',
}

/** Each language's own module (`session-vault-locale-XX.js`), fetched only by a dialog in that language. */
const LOCALES: Record<string, () => Promise<{ default: LocaleTexts }>> = {
  ar: () => import('./locales/ar.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  he: () => import('./locales/he.js'),
  ja: () => import('./locales/ja.js'),
}

/** The default texts for `locale`'s language (English when none ship); rejects when its module does not load. */
export async function localeTexts(locale: string): Promise<LocaleTexts> {
  const { language } = new Intl.Locale(locale)
  return Object.hasOwn(LOCALES, language) ? (await LOCALES[language]!()).default : ENGLISH
}

/** A message as a function of the remaining time: a `{remaining}` template, or the app's own function. */
export function toMessage(template: DialogTexts['idleMessage'] & {}): (remaining: string) => string {
  return typeof template === 'function' ? template : remaining => template.replaceAll('{remaining}', () => remaining)
}
