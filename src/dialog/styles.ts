/** The default dialog's styles, themable through `--session-vault-*` custom properties and `::part()`. */
export const DIALOG_CSS = `
:host { all: initial; }
dialog {
  text-align: start;
  font: var(--session-vault-font, 16px/1.5 system-ui, sans-serif);
  color: var(--session-vault-color, #1b1b1f);
  background: var(--session-vault-background, #fff);
  border: var(--session-vault-border, 1px solid #c9c9d1);
  border-radius: var(--session-vault-radius, 12px);
  padding: var(--session-vault-padding, 1.5rem);
  max-width: min(28rem, calc(100vw - 2rem));
  box-shadow: 0 12px 40px rgb(0 0 0 / 25%);
}
dialog::backdrop { background: var(--session-vault-backdrop, rgb(0 0 0 / 45%)); }
h2 { font-size: 1.25em; margin: 0 0 .5rem; }
p { margin: 0 0 1rem; }
.countdown { font-variant-numeric: tabular-nums; font-size: 2em; font-weight: 600; margin: 0 0 1rem; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; justify-content: flex-end; }
button {
  font: inherit; cursor: pointer; border-radius: var(--session-vault-button-radius, 8px);
  padding: .5rem 1rem; border: 1px solid var(--session-vault-accent, #2450d3);
}
button.primary { background: var(--session-vault-accent, #2450d3); color: var(--session-vault-accent-text, #fff); }
button.secondary { background: transparent; color: var(--session-vault-accent, #2450d3); }
button:focus-visible { outline: 3px solid var(--session-vault-focus, #f5a623); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`
