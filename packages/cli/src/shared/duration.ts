import { StbError } from '@sqltrace/core';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, min: 60, h: 3600, d: 86_400 };

/**
 * `90`, `90s`, `1.5m`, `2h`, `500ms` → seconds; anything else is a usage error naming the flag.
 * Zero (`0`, `0s`) is accepted only with `allowZero` (a flag where 0 means "off").
 */
export function parseDuration(text: string, flag: string, options: { readonly allowZero?: boolean } = {}): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$/i.exec(text);
  const seconds = m === null ? NaN : Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]!;
  if (seconds === 0 && options.allowZero === true) return 0;
  if (!(seconds > 0)) throw new StbError('E_USAGE', `${flag} ${JSON.stringify(text)} is not a duration`, { hint: 'Write it like 90s, 5m, 1.5h or 500ms' });
  return seconds;
}
