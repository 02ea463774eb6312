import type { LocaleTexts } from '../texts.js'

/** Hebrew (right to left) */
export default {
  title: 'ההתחברות שלך עומדת לפוג',
  idleMessage: 'החיבור שלך יסתיים בעוד {remaining} עקב חוסר פעילות.',
  absoluteMessage: 'ההתחברות שלך תגיע למגבלת הזמן בעוד {remaining}. כדאי לשמור את העבודה.',
  stay: 'להישאר מחוברים',
  signOut: 'להתנתק עכשיו',
  dismiss: 'המשך',
} satisfies LocaleTexts
