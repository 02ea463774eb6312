import type { LocaleTexts } from '../texts.js'

/** Arabic (right to left) */
export default {
  title: 'جلستك على وشك الانتهاء',
  idleMessage: 'سيتم تسجيل خروجك خلال {remaining} بسبب عدم النشاط.',
  absoluteMessage: 'ستبلغ جلستك حدها الزمني خلال {remaining}. احفظ عملك.',
  stay: 'البقاء متصلاً',
  signOut: 'تسجيل الخروج الآن',
  dismiss: 'متابعة',
} satisfies LocaleTexts
