import type { LocaleTexts } from '../texts.js'

/** Spanish */
export default {
  title: 'Su sesión está a punto de caducar',
  idleMessage: 'Se cerrará su sesión en {remaining} por inactividad.',
  absoluteMessage: 'Su sesión alcanza su límite de tiempo en {remaining}. Guarde su trabajo.',
  stay: 'Mantener la sesión',
  signOut: 'Cerrar sesión ahora',
  dismiss: 'Continuar',
} satisfies LocaleTexts
