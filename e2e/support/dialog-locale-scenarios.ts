// Issue 12: the dialog's `locale` option. The scenarios both runners call (Playwright:
// e2e/idle/dialog-locale.spec.ts; WebKit: e2e/webkit/dialog-locale.wd.test.ts).
import { type Expect, poll, type Tab } from './tab.js'

/** Signs in on the harness page with these createSession options, `<html lang>` set first when given. */
export type SignIn = (options: Record<string, unknown>, documentLang?: string) => Promise<void>

interface Dialog {
  open: boolean
  lang: string | null
  dir: string | null
  direction: string
  title: string | null
  message: string | null
  countdown: string | null
  live: string | null
  buttons: string[]
  buttonLefts: Record<string, number>
}

/** The warning opens a second after sign-in and stays for six. */
const IDLE = { timeout: 7_000, warnBefore: 6_000 }
const LOCALE_FILE = 'session-vault-locale-'

async function openedDialog(tab: Tab, expect: Expect): Promise<Dialog> {
  const dialog = await poll(
    () => tab.step<Dialog | null>('dialogSnapshot'),
    d => d?.open === true && !!d.live,
    5_000,
  )
  expect(dialog?.open, 'the warning opened').toBe(true)
  return dialog!
}

/** `dialog.locale: 'de'`: German texts and words, `lang="de"`, left to right, only the German file fetched. */
export async function languageFromOption(tab: Tab, expect: Expect, signIn: SignIn): Promise<void> {
  await signIn({ idle: IDLE, dialog: { locale: 'de' } })
  const dialog = await openedDialog(tab, expect)
  expect(dialog).toMatchObject({ lang: 'de', dir: 'ltr', direction: 'ltr', title: 'Ihre Sitzung läuft bald ab' })
  expect(dialog.buttons).toEqual(['Jetzt abmelden', 'Angemeldet bleiben'])
  expect(dialog.countdown).toMatch(/^00:0[1-6]$/)
  expect(dialog.message).toBe(`Sie werden in ${dialog.countdown} wegen Inaktivität abgemeldet.`)
  expect(dialog.live).toMatch(/^Sie werden in \d Sekunden? wegen Inaktivität abgemeldet\.$/)
  expect(dialog.buttonLefts['Jetzt abmelden']!, 'left to right: "sign out" first').toBeLessThan(
    dialog.buttonLefts['Angemeldet bleiben']!,
  )
  expect(await tab.step('loadedFiles', LOCALE_FILE)).toEqual([`${LOCALE_FILE}de.js`])
}

/** Arabic (Egypt): right to left (the buttons' order mirrored), Arabic-Indic digits, Arabic texts. */
export async function rightToLeft(tab: Tab, expect: Expect, signIn: SignIn): Promise<void> {
  await signIn({ idle: IDLE, dialog: { locale: 'ar-EG' } })
  const dialog = await openedDialog(tab, expect)
  expect(dialog).toMatchObject({ lang: 'ar-EG', dir: 'rtl', direction: 'rtl', title: 'جلستك على وشك الانتهاء' })
  expect(dialog.countdown).toMatch(/^[٠-٩]{2}:[٠-٩]{2}$/)
  expect(dialog.live).toMatch(/[٠-٩]/)
  const [signOut, stay] = dialog.buttons
  expect(signOut).toBe('تسجيل الخروج الآن')
  expect(dialog.buttonLefts[signOut!]!, 'right to left: "sign out" first, on the right').toBeGreaterThan(
    dialog.buttonLefts[stay!]!,
  )
  expect(await tab.step('loadedFiles', LOCALE_FILE)).toEqual([`${LOCALE_FILE}ar.js`])
}

/** No option: `<html lang="fr">` gives French; a language that ships no texts gets English words in its own formats. */
export async function languageFromDocument(tab: Tab, expect: Expect, signIn: SignIn, lang: 'fr' | 'pt-BR') {
  await signIn({ idle: IDLE, dialog: true }, lang)
  const dialog = await openedDialog(tab, expect)
  expect(dialog.lang).toBe(lang)
  if (lang === 'fr') {
    expect(dialog.title).toBe('Votre session va bientôt expirer')
    expect(dialog.live).toMatch(/\d\ssecondes?\s/)
    expect(await tab.step('loadedFiles', LOCALE_FILE)).toEqual([`${LOCALE_FILE}fr.js`])
  } else {
    expect(dialog.title).toBe('Your session is about to expire')
    expect(dialog.live, 'English text, Portuguese words for the time').toMatch(
      /^You will be signed out in \d segundos?/,
    )
    expect(await tab.step('loadedFiles', LOCALE_FILE)).toEqual([])
  }
}

/** An app's `{remaining}` template replaces one text; the others still come from the language. */
export async function messageTemplate(tab: Tab, expect: Expect, signIn: SignIn): Promise<void> {
  await signIn({ idle: IDLE, dialog: { locale: 'ja', texts: { idleMessage: 'あと{remaining}でサインアウトします' } } })
  const dialog = await openedDialog(tab, expect)
  expect(dialog.message).toBe(`あと${dialog.countdown}でサインアウトします`)
  expect(dialog.live).toMatch(/^あと\d+\s?秒でサインアウトします$/)
  expect(dialog.buttons).toEqual(['今すぐサインアウト', 'サインインしたままにする'])
}
