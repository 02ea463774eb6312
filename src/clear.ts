import type { ClearOptions } from './types.js'

function clearStorage(storage: Storage, what: boolean | string[]): void {
  if (what === true) storage.clear()
  else if (Array.isArray(what)) for (const key of what) storage.removeItem(key)
}

/** Deletes one IndexedDB database; resolves even when blocked or failing (never hangs past 2 s). */
function deleteDatabase(name: string): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, 2_000)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    try {
      const request = indexedDB.deleteDatabase(name)
      request.onsuccess = request.onerror = request.onblocked = done
    } catch {
      done()
    }
  })
}

/**
 * The local fallback for `Clear-Site-Data`: clears what `logout.clear` names.
 * Failures are swallowed: clearing is best effort and must never stop a logout.
 */
export async function clearLocal(options: Required<ClearOptions>): Promise<void> {
  try {
    clearStorage(localStorage, options.localStorage)
    clearStorage(sessionStorage, options.sessionStorage)
  } catch {
    /* storage disabled */
  }
  const tasks = options.indexedDB.map(deleteDatabase)
  if (options.caches !== false && typeof caches !== 'undefined') {
    tasks.push(
      (async () => {
        const names = options.caches === true ? await caches.keys() : (options.caches as string[])
        await Promise.all(names.map(name => caches.delete(name)))
      })().catch(() => {}),
    )
  }
  await Promise.all(tasks)
}
