/** What the authorization server adds to the redirect URI: removed from the address bar once the callback is handled. */
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description', 'error_uri'] as const

/** Removes the OAuth callback parameters from the address bar (`history.replaceState`, no navigation). */
export function removeCallbackParams(): void {
  const clean = new URL(location.href)
  for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name)
  history.replaceState(history.state, '', clean.href)
}
