import { SessionVaultError } from './errors.js'

/** The longest any lock wait lasts: a lock held longer (a hung tab, or script holding it on purpose) gives `ERR_TIMEOUT`. */
export const LOCK_WAIT_MS = 10_000

// Bound at load, as the RPC binds postMessage: script that patches `navigator.locks` later changes nothing here.
const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
const request = locks?.request.bind(locks) as LockManager['request'] | undefined

/**
 * Runs `task` while holding the Web Lock `name`, shared by every tab of the
 * origin and usable from both threads, or directly where Web Locks are missing
 * (single-tab safety only). `task` gets whether it holds the lock. With
 * `ifAvailable`, it runs at once either way (`false`: another holder). Any
 * other wait is bounded (`signal`, else {@link LOCK_WAIT_MS}): when it runs out
 * the task does not run and the call rejects `ERR_TIMEOUT`.
 */
export async function withLock<T>(
  name: string,
  task: (held: boolean) => Promise<T>,
  options: { ifAvailable?: boolean; signal?: AbortSignal } = {},
): Promise<T> {
  if (!request) return task(true)
  let granted = false
  try {
    return (await request(
      name,
      options.ifAvailable ? { ifAvailable: true } : { signal: options.signal ?? AbortSignal.timeout(LOCK_WAIT_MS) },
      lock => {
        granted = true
        return task(lock !== null)
      },
    )) as T
  } catch (error) {
    if (granted) throw error
    throw new SessionVaultError('ERR_TIMEOUT', 'A cross-tab lock was held too long', { cause: error })
  }
}

/**
 * {@link withLock} for work that must happen even when a tab hangs on to the
 * lock: once the bounded wait runs out, `task` runs without it.
 */
export async function withLockOrWithout(name: string, task: () => Promise<void>): Promise<void> {
  let ran = false
  try {
    await withLock(name, () => {
      ran = true
      return task()
    })
  } catch (error) {
    if (ran) throw error
    await task()
  }
}
