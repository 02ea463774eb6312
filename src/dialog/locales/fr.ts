import type { LocaleTexts } from '../texts.js'

/** French */
export default {
  title: 'Votre session va bientôt expirer',
  idleMessage: 'Vous serez déconnecté dans {remaining} pour cause d’inactivité.',
  absoluteMessage: 'Votre session atteint sa durée maximale dans {remaining}. Enregistrez votre travail.',
  stay: 'Rester connecté',
  signOut: 'Se déconnecter',
  dismiss: 'Continuer',
} satisfies LocaleTexts
