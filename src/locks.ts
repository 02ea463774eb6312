/**
 * Runs `task` while holding the Web Lock `name`, shared by every tab of the
 * origin and usable from both threads, or directly where Web Locks are missing
 * (single-tab safety only). With `ifAvailable`, the task is skipped when
 * another tab holds the lock.
 */
export function withLock<T>(name: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  if (!locks) return task()
  return locks.request(name, options, (lock) => (lock ? task() : undefined)) as Promise<T>
}
