/** The dialog's countdown and spoken remaining time, formatted for its locale through `Intl`. */

interface DurationFormatter {
  format(duration: { hours: number; minutes: number; seconds: number }): string
}
/** `Intl.DurationFormat` (Chromium 129, Firefox 136, Safari 16.4); older engines use the fallback. */
export type DurationFormatConstructor = new (locale: string, options: Record<string, string>) => DurationFormatter

export interface RemainingFormat {
  /** Clock digits: `01:05`, `1:02:05`. */
  digital(ms: number): string
  /** Words for screen readers: `1 minute, 5 seconds`. */
  spoken(ms: number): string
}

/** Scripts written right to left (ISO 15924). */
const RTL_SCRIPTS = /^(Adlm|Arab|Hebr|Mand|Nkoo|Rohg|Samr|Syrc|Thaa|Yezi)$/

function parts(ms: number) {
  const total = Math.max(0, Math.ceil(ms / 1000))
  return { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 }
}

export function remainingFormat(
  locale: string,
  DurationFormat: DurationFormatConstructor | null = (Intl as { DurationFormat?: DurationFormatConstructor })
    .DurationFormat ?? null,
): RemainingFormat {
  if (DurationFormat) {
    const digital = new DurationFormat(locale, { style: 'digital', hoursDisplay: 'auto' })
    const long = new DurationFormat(locale, { style: 'long' })
    const zero = new DurationFormat(locale, { style: 'long', secondsDisplay: 'always' })
    return {
      digital: ms => digital.format(parts(ms)),
      spoken: ms => (ms > 0 ? long : zero).format(parts(ms)),
    }
  }
  const number = new Intl.NumberFormat(locale, { useGrouping: false })
  const twoDigits = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false })
  const units = (['hour', 'minute', 'second'] as const).map(
    unit => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }),
  )
  const list = new Intl.ListFormat(locale, { type: 'unit', style: 'long' })
  return {
    digital(ms) {
      const { hours, minutes, seconds } = parts(ms)
      const clock = [twoDigits.format(minutes), twoDigits.format(seconds)]
      return (hours ? [number.format(hours), ...clock] : clock).join(':')
    },
    spoken(ms) {
      const shown = Object.values(parts(ms))
        .map((value, i) => [value, i] as const)
        .filter(([value]) => value)
      return list.format((shown.length ? shown : [[0, 2] as const]).map(([value, i]) => units[i]!.format(value)))
    },
  }
}

/** `ltr` or `rtl`, from the locale's likely script. */
export function direction(locale: string): 'ltr' | 'rtl' {
  return RTL_SCRIPTS.test(new Intl.Locale(locale).maximize().script ?? '') ? 'rtl' : 'ltr'
}
