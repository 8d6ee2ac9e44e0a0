/**
 * Date and timestamp strings as numbers (milliseconds, read as UTC whatever the zone suffix says)
 * and back in the same layout, so a fitted distribution over instants renders valid literals.
 */
export interface DatetimeFormat {
  /** `date`: YYYY-MM-DD; `timestamp`: with a time of day. */
  readonly kind: 'date' | 'timestamp';
  /** Between date and time: ' ' or 'T'. */
  readonly separator: string;
  /** Digits of the fraction of a second (0 = none). */
  readonly fraction: number;
  /** The zone suffix as written (`Z`, `+00`, `+02:00`), or ''. */
  readonly zone: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})([ T])(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export function parseDatetime(text: string): { ms: number; format: DatetimeFormat } | undefined {
  let m = DATE.exec(text);
  if (m !== null) {
    const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
    return Number.isNaN(ms) ? undefined : { ms, format: { kind: 'date', separator: ' ', fraction: 0, zone: '' } };
  }
  m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const fraction = m[8] ?? '';
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[5]!, +m[6]!, +m[7]!) + Number(`0.${fraction || '0'}`) * 1000;
  if (Number.isNaN(ms)) return undefined;
  return { ms, format: { kind: 'timestamp', separator: m[4]!, fraction: fraction.length, zone: m[9] ?? '' } };
}

export function formatDatetime(ms: number, format: DatetimeFormat): string {
  const d = new Date(Math.round(ms));
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  if (format.kind === 'date') return date;
  let text = `${date}${format.separator}${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (format.fraction > 0) {
    const fraction = ((((ms % 1000) + 1000) % 1000) / 1000).toFixed(Math.min(format.fraction, 6)).slice(2);
    text += '.' + fraction.padEnd(format.fraction, '0');
  }
  return text + format.zone;
}

export function formatKey(format: DatetimeFormat): string {
  return `${format.kind}|${format.separator}|${format.fraction}|${format.zone}`;
}

export function formatFromKey(key: string): DatetimeFormat | undefined {
  const [kind, separator, fraction, zone] = key.split('|');
  if ((kind !== 'date' && kind !== 'timestamp') || separator === undefined || zone === undefined || !/^\d$/.test(fraction ?? '')) return undefined;
  return { kind, separator, fraction: Number(fraction), zone };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
