import { HttpError, isObject, mediaType, readBody, sendEmpty } from '../../http/http-util.mjs'

/** Largest report body, bytes. */
const REPORT_LIMIT = 64 * 1024
/** Longest URL and directive kept of a report, characters. */
const URL_CHARS = 300
const DIRECTIVE_CHARS = 100

const TYPES = new Set(['application/csp-report', 'application/reports+json', 'application/json'])

/**
 * @param {unknown} value
 * @returns {string | undefined}
 */
function withoutQuery(value) {
  if (typeof value !== 'string') return undefined
  return value.replace(/[?#].*$/s, '').slice(0, URL_CHARS)
}

/**
 * One report, in either format, as `{ page, directive, blocked }`; null when it is not a CSP report.
 * @param {unknown} report
 */
function normalise(report) {
  if (!isObject(report)) return null
  const legacy = report['csp-report']
  if (isObject(legacy)) {
    const r = legacy
    return {
      page: withoutQuery(r['document-uri']),
      directive: r['effective-directive'] ?? r['violated-directive'],
      blocked: withoutQuery(r['blocked-uri']),
    }
  }
  const { body } = report
  if (isObject(body) && (report.type ?? 'csp-violation') === 'csp-violation') {
    const r = body
    return {
      page: withoutQuery(r.documentURL ?? report.url),
      directive: r.effectiveDirective,
      blocked: withoutQuery(r.blockedURL),
    }
  }
  return null
}

/** @param {import('../app.mjs').RouteContext} ctx */
async function receive({ req, res, state }) {
  if (!TYPES.has(mediaType(req))) throw new HttpError(415, 'unsupported_media_type')
  let parsed
  try {
    parsed = JSON.parse((await readBody(req, REPORT_LIMIT)).toString('utf8'))
  } catch (error) {
    throw error instanceof HttpError ? error : new HttpError(400, 'invalid_request')
  }
  if (!isObject(parsed) && !Array.isArray(parsed)) throw new HttpError(400, 'invalid_request')
  const reports = (Array.isArray(parsed) ? parsed : [parsed]).map(normalise).filter(report => report !== null)
  for (const report of reports) {
    const directive = typeof report.directive === 'string' ? report.directive.slice(0, DIRECTIVE_CHARS) : undefined
    state.log.note('csp_report', { page: report.page, directive, blocked: report.blocked })
  }
  sendEmpty(res, 204)
}

/**
 * `POST /csp-report`: receives CSP violation reports (report-uri and Reporting
 * API formats) and logs one line each, without query strings.
 * @param {import('../../http/router.mjs').Router<import('../app.mjs').RouteContext>} router
 */
export function addCspReportRoute(router) {
  router.add('POST', '/csp-report', receive)
}
