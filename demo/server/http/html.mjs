/** Markup built by `html`; only this module can make one, so it is never user input. */
class Markup {
  /** @param {string} text */
  constructor(text) {
    this.text = text
  }

  toString() {
    return this.text
  }
}

/** Markup made by `html`, `scriptData` or `jsonScriptData` (the type; only this module makes one). */
/** @typedef {Markup} Html */

/** @type {Record<string, string>} */
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** @type {Record<string, string>} */
const SCRIPT_DATA_ESCAPES = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' }

/**
 * Escape text for an HTML text node or a quoted attribute value.
 * @param {string} text
 * @returns {string}
 */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, c => ENTITIES[c] ?? c)
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function render(value) {
  if (value instanceof Markup) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}

/**
 * Tagged template for HTML. The literal parts are kept as written; EVERY
 * interpolated value is escaped, except markup made by `html` or `scriptData`
 * itself. Arrays are rendered item by item; null, undefined and false render
 * as nothing. Put interpolations in text or in double-quoted attribute values
 * only (never in URLs, event handlers or unquoted attributes).
 * @param {TemplateStringsArray} strings
 * @param {...unknown} values
 * @returns {Markup}
 */
export function html(strings, ...values) {
  if (!Array.isArray(strings) || !Array.isArray(strings.raw)) throw new TypeError('html must be used as a template tag')
  let out = strings[0]
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]
  return new Markup(out)
}

/**
 * Text for the inside of a `<script type="application/json">` element: `<`,
 * `>`, `&`, U+2028 and U+2029 become `\uXXXX` escapes, so nothing can close the
 * element or open a comment; inside JSON strings the escapes read back as the
 * same characters.
 * @param {string} text
 * @returns {Markup}
 */
export function scriptData(text) {
  return new Markup(String(text).replace(/[<>&\u2028\u2029]/g, c => SCRIPT_DATA_ESCAPES[c] ?? c))
}

/**
 * A JSON value as the text of a `<script type="application/json">` element.
 * @param {unknown} value
 * @returns {Markup}
 */
export function jsonScriptData(value) {
  return scriptData(JSON.stringify(value))
}
