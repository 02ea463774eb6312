// Reports which platform APIs a dedicated worker has (e2e/webkit/platform.wd.test.ts).
self.postMessage({
  locks: typeof navigator.locks === 'object' && navigator.locks !== null,
  broadcastChannel: typeof BroadcastChannel === 'function',
  indexedDB: typeof indexedDB === 'object',
  cryptoSubtle: typeof crypto.subtle === 'object',
  abortSignalTimeout: typeof AbortSignal.timeout === 'function',
  requestBody: 'body' in Request.prototype,
})
