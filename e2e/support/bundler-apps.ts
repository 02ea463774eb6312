// The apps of demo/bundlers as the reference server serves them (/<name>/), and what each build
// emits: shared by e2e/sdk/bundler-apps.spec.ts and e2e/webkit/bundler-apps.wd.test.ts.

export interface BundlerApp {
  name: 'webpack' | 'esbuild' | 'rollup'
  /** The page's `trusted-types` directive: webpack's chunk loader has a policy of its own. */
  trustedTypes: string
  /** The URL of the vault worker the build put next to its bundle. */
  worker: RegExp
  /** The URL of any chunk the build loads on demand (the default dialog and each of its languages). */
  chunk: RegExp
}

export const BUNDLER_APPS: readonly BundlerApp[] = [
  {
    name: 'webpack',
    trustedTypes: 'trusted-types session-vault webpack',
    // An asset webpack found through new URL(..., import.meta.url), named [name]-[contenthash][ext].
    worker: /\/webpack\/vault\.worker-[0-9a-f]+\.js$/,
    chunk: /\/webpack\/\d+-[0-9a-f]+\.js$/,
  },
  {
    name: 'esbuild',
    trustedTypes: 'trusted-types session-vault',
    worker: /\/esbuild\/vault\.worker\.js$/,
    chunk: /\/esbuild\/(?:dialog|ar|de|es|fr|he|ja)-[A-Z0-9]+\.js$/,
  },
  {
    name: 'rollup',
    trustedTypes: 'trusted-types session-vault',
    worker: /\/rollup\/vault\.worker\.js$/,
    chunk: /\/rollup\/session-vault-(?:dialog|locale-[a-z]+)-[\w-]+\.js$/,
  },
]

/** The dialog in German (`<html lang="de">`, set by the test before sign-in): its texts are a chunk of their own. */
export const GERMAN = {
  title: 'Ihre Sitzung läuft bald ab',
  buttons: ['Jetzt abmelden', 'Angemeldet bleiben'],
  stay: 'Angemeldet bleiben',
} as const
