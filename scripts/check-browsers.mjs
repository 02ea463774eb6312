#!/usr/bin/env node
// First step of `npm test` (its `pretest`): says at once which engine or server is missing
// and how to install it, rather than after minutes of other work.
// `--only=chromium,firefox` checks a subset of the engines.
import { execFileSync } from 'node:child_process'
import { ENGINES, missingEngines } from '../e2e/support/browsers.mjs'

/** @param {string} command */
const onPath = command => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * @param {string} name
 * @returns {name is keyof typeof ENGINES}
 */
const isEngine = name => Object.hasOwn(ENGINES, name)

const only = process.argv
  .find(arg => arg.startsWith('--only='))
  ?.slice(7)
  .split(',')
const unknown = only?.filter(name => !isEngine(name)) ?? []
if (unknown.length > 0) {
  console.error(`check-browsers: unknown engine ${unknown.join(', ')} (choose from ${Object.keys(ENGINES).join(', ')})`)
  process.exit(1)
}
const missing = missingEngines(only?.filter(isEngine))
if (!only) {
  if (!onPath(process.env.REDIS_SERVER ?? 'redis-server'))
    missing.push('redis-server (the server library tests): not found. Install it with: apt-get install redis-server')
  if (!onPath('openssl'))
    missing.push('openssl (the WebKit suite serves HTTPS): not found. Install it with: apt-get install openssl')
}
if (missing.length > 0) {
  console.error(`npm test needs:\n  ${missing.join('\n  ')}`)
  process.exit(1)
}
