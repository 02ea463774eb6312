/** The script-tag build: `window.SessionVault`, same API as the ESM build. */
export * from './index.js'
