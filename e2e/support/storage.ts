import type { Page } from '@playwright/test'

export interface BrowserStorage {
  localStorage: string[]
  sessionStorage: string[]
  databases: string[]
  caches: string[]
  documentCookie: string
}

/** What the origin keeps in the page's view: storage keys, IndexedDB names, Cache Storage names, script-visible cookies. */
export function browserStorage(page: Page): Promise<BrowserStorage> {
  return page.evaluate(async () => ({
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
    databases: (await indexedDB.databases()).map((db) => db.name ?? '').sort(),
    caches: (await caches.keys()).sort(),
    documentCookie: document.cookie,
  }))
}

/**
 * Writes app data everywhere an app would: localStorage (`<prefix>-profile`),
 * sessionStorage (`<prefix>-draft`), an IndexedDB database (`app-db`, or
 * `<prefix>-app`) with one record, a Cache Storage entry (`<prefix>-cache`)
 * and a script-visible cookie (`<prefix>_pref`).
 */
export function seedAppStorage(page: Page, prefix = 'app', path = '/api/notes-snapshot'): Promise<void> {
  return page.evaluate(async ([prefix, path]) => {
    localStorage.setItem(`${prefix}-profile`, JSON.stringify({ user: 'alice' }))
    sessionStorage.setItem(`${prefix}-draft`, 'half-written note')
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(prefix === 'app' ? 'app-db' : `${prefix}-app`, 1)
      open.onupgradeneeded = () => open.result.createObjectStore('notes')
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const db = open.result
        const tx = db.transaction('notes', 'readwrite')
        tx.objectStore('notes').put({ text: 'private note' }, 1)
        tx.oncomplete = () => {
          db.close()
          resolve()
        }
        tx.onerror = () => reject(tx.error)
      }
    })
    const cache = await caches.open(`${prefix}-cache`)
    await cache.put(path, new Response('{"notes":["private"]}', { headers: { 'Content-Type': 'application/json' } }))
    document.cookie = `${prefix}_pref=dark; path=/; SameSite=Strict`
  }, [prefix, path] as const)
}
