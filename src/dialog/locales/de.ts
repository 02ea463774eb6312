import type { LocaleTexts } from '../texts.js'

/** German */
export default {
  title: 'Ihre Sitzung läuft bald ab',
  idleMessage: 'Sie werden in {remaining} wegen Inaktivität abgemeldet.',
  absoluteMessage: 'Ihre Sitzung erreicht in {remaining} ihr Zeitlimit. Speichern Sie Ihre Arbeit.',
  stay: 'Angemeldet bleiben',
  signOut: 'Jetzt abmelden',
  dismiss: 'Weiter',
} satisfies LocaleTexts
