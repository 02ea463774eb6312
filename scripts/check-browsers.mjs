#!/usr/bin/env node
// First step of `npm test`: says at once which engine is missing and how to install it,
// rather than after minutes of other work. `--only=chromium,firefox` checks a subset.
import { ENGINES, missingEngines } from '../e2e/support/browsers.mjs'

const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7).split(',')
const missing = missingEngines(only ?? Object.keys(ENGINES))
if (missing.length > 0) {
  console.error(`npm test needs every engine the e2e suites run:\n  ${missing.join('\n  ')}`)
  process.exit(1)
}
