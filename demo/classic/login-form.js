// The sign-in page forgets the typed password when it is left and when the back/forward cache
// shows it again: a password still in the form signs the next person at the keyboard in.
const form = /** @type {HTMLFormElement | null} */ (document.getElementById('login-form'))

function forgetPassword() {
  const password = form?.elements.namedItem('password')
  if (password instanceof HTMLInputElement) password.value = ''
}

addEventListener('pagehide', forgetPassword)
addEventListener('pageshow', event => {
  if (event.persisted) forgetPassword()
})
