/**
 * Runs `task` under an exclusive Web Lock shared by every tab of the origin,
 * or directly where Web Locks are missing (single-tab safety only).
 */
export async function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (self.navigator as WorkerNavigator & { locks?: LockManager }).locks
  if (!locks) return task()
  return locks.request(name, { mode: 'exclusive' }, task) as Promise<T>
}
