import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ConsoleMessage, Page } from '@playwright/test'

const TAPS = fileURLToPath(new URL('./hunt-taps.js', import.meta.url))
/**
 * The attacker's one function expression, without the `;` the formatter puts before a line
 * that starts with `(` or the one after it, so it can be called in place: `(${ATTACKER})(...)`.
 */
export const ATTACKER = readFileSync(fileURLToPath(new URL('./hunt-attacker.js', import.meta.url)), 'utf8')
  .trim()
  .replace(/^;/m, '')
  .replace(/;$/, '')

/** Where the hunter looks; `console-node` is console output of the page AND its workers, seen by Playwright. */
export type HuntPlace =
  | 'global'
  | 'localStorage'
  | 'sessionStorage'
  | 'indexedDB'
  | 'cookie'
  | 'cacheStorage'
  | 'performance'
  | 'console'
  | 'message'
  | 'posted'
  | 'console-node'
  | 'hunter-error'

export interface Finding {
  where: HuntPlace
  path: string
  /** Index into the needles. */
  needle: number
}

export interface HuntStats {
  globalNodes: number
  globalStrings: number
  globalCapped: boolean
  reachedSession: boolean
  localStorage: number
  sessionStorage: number
  idbDatabases: number
  idbStores: number
  idbValues: number
  cookieLength: number
  caches: number
  cacheEntries: number
  performanceEntries: number
  consoleRecords: number
  messageRecords: number
  messagesBySource: Record<string, number>
  postedRecords: number
  nodeConsoleRecords: number
}

export interface Hunt {
  /** Runs the attacker in the page (and searches the console output Playwright saw). */
  run(needles: string[], options?: { nodeCap?: number }): Promise<{ findings: Finding[]; stats: HuntStats }>
}

/**
 * Installs the attacker's taps BEFORE any page script runs (so before the
 * SDK loads): message and console recording in the page, plus Playwright's
 * own view of console output and uncaught errors of the page and every worker.
 * Call before `page.goto`.
 */
export async function installHunt(page: Page): Promise<Hunt> {
  await page.addInitScript({ path: TAPS })
  const seen: Promise<string>[] = []
  const onConsole = (message: ConsoleMessage) => {
    seen.push(
      (async () => {
        const parts = [message.text()]
        for (const arg of message.args()) {
          try {
            parts.push(JSON.stringify(await arg.jsonValue()))
          } catch {
            /* not serialisable, or the context is gone */
          }
        }
        return parts.join('\u0000')
      })(),
    )
  }
  page.context().on('console', onConsole)
  page.on('pageerror', error => seen.push(Promise.resolve(`${error.name}: ${error.message}\n${error.stack ?? ''}`)))
  return {
    async run(needles, options = {}) {
      if (needles.length === 0 || needles.some(n => typeof n !== 'string' || n.length < 16)) {
        throw new Error('hunt: needles must be real token strings')
      }
      const result = (await page.evaluate(`(${ATTACKER})(${JSON.stringify(needles)}, ${JSON.stringify(options)})`)) as {
        findings: Finding[]
        stats: Omit<HuntStats, 'nodeConsoleRecords'>
      }
      const texts = await Promise.all(seen)
      for (const [i, text] of texts.entries()) {
        for (const [n, needle] of needles.entries()) {
          if (text.includes(needle))
            result.findings.push({ where: 'console-node', path: `console message #${i}`, needle: n })
        }
      }
      return { findings: result.findings, stats: { ...result.stats, nodeConsoleRecords: texts.length } }
    },
  }
}

/** The distinct places of a hunt's findings, sorted. */
export const placesOf = (findings: Finding[]): string[] => [...new Set(findings.map(f => f.where))].sort()
