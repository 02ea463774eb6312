import type { LocaleTexts } from '../texts.js'

/** Japanese */
export default {
  title: 'セッションの有効期限が近づいています',
  idleMessage: '操作がないため、{remaining}後にサインアウトされます。',
  absoluteMessage: 'セッションは{remaining}後に制限時間に達します。作業内容を保存してください。',
  stay: 'サインインしたままにする',
  signOut: '今すぐサインアウト',
  dismiss: '続ける',
} satisfies LocaleTexts
