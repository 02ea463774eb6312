// webpack 5 (Node API, no webpack-cli). webpack emits vault.worker.js as an asset on its own
// (it reads `new URL('./vault.worker.js', import.meta.url)`); the one setting the SDK needs is
// output.trustedTypes: webpack loads the on-demand dialog chunks by setting a script's src, a
// Trusted Types sink, so it needs a policy of its own, which the page's CSP must name
// (`trusted-types session-vault webpack`).
import webpack from 'webpack'

/** The Trusted Types policy webpack's chunk loader creates; the server's CSP of /webpack/ names it. */
const WEBPACK_POLICY = 'webpack'

/**
 * @param {string} context the app's folder
 * @param {string} outDir
 * @returns {import('webpack').Configuration}
 */
const config = (context, outDir) => ({
  mode: 'production',
  context,
  entry: './app.js',
  devtool: false,
  performance: { hints: false },
  // webpack 5.113 reads the nearest tsconfig.json's `paths` by default: here that is the repository's,
  // which maps 'session-vault' to its sources. An app of its own has no such mapping.
  resolve: { tsconfig: false },
  output: {
    path: outDir,
    filename: 'main.js',
    chunkFilename: '[name]-[contenthash].js',
    // vault.worker-<hash>.js: the worker keeps its name, so the server can give it the worker CSP.
    assetModuleFilename: '[name]-[contenthash][ext]',
    trustedTypes: { policyName: WEBPACK_POLICY },
    clean: true,
  },
})

/**
 * Builds the app in `context` into `outDir`.
 * @param {string} context
 * @param {string} outDir
 * @returns {Promise<void>}
 */
export function buildWithWebpack(context, outDir) {
  return new Promise((resolve, reject) => {
    webpack(config(context, outDir), (error, stats) => {
      if (error) reject(error)
      else if (stats?.hasErrors()) reject(new Error(stats.toString({ all: false, errors: true })))
      else resolve()
    })
  })
}
