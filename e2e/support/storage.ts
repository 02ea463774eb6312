import type { Page } from '@playwright/test'
import { scenario } from './scenario.js'

export interface BrowserStorage {
  localStorage: string[]
  sessionStorage: string[]
  databases: string[]
  caches: string[]
  documentCookie: string
}

/** What the origin keeps in the page's view: storage keys, IndexedDB names, Cache Storage names, script-visible cookies. */
export function browserStorage(page: Page): Promise<BrowserStorage> {
  return scenario<BrowserStorage>(page, 'browserStorage')
}

/**
 * Writes app data everywhere an app would: localStorage (`<prefix>-profile`),
 * sessionStorage (`<prefix>-draft`), an IndexedDB database (`app-db`, or
 * `<prefix>-app`) with one record, a Cache Storage entry (`<prefix>-cache`)
 * and a script-visible cookie (`<prefix>_pref`). The steps live in
 * scenarios.js, shared with the WebKit WebDriver suite.
 */
export function seedAppStorage(page: Page, prefix = 'app', path = '/api/notes-snapshot'): Promise<void> {
  return scenario<void>(page, 'seedAppStorage', prefix, path)
}
