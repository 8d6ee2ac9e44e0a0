import type { ParamValue } from '@sqltrace/core';

/**
 * Parses `$1 = 'a''b', $2 = NULL, $3 = '…'` (the DETAIL of an execute) into values by number.
 * Values may contain quotes (doubled), commas and newlines. Returns undefined when malformed.
 */
export function parseBindParameters(text: string): ParamValue[] | undefined {
  const values: ParamValue[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === ',' || text[i] === '\n' || text[i] === '\t')) i++;
    if (i >= n) break;
    if (text[i] !== '$') return undefined;
    let j = i + 1;
    while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const index = Number(text.slice(i + 1, j)) - 1;
    if (!(index >= 0) || text.slice(j, j + 3) !== ' = ') return undefined;
    i = j + 3;
    if (text.startsWith('NULL', i)) {
      values[index] = null;
      i += 4;
      continue;
    }
    if (text[i] !== "'") return undefined;
    let value = '';
    let k = i + 1;
    for (;;) {
      const q = text.indexOf("'", k);
      if (q === -1) {
        // Truncated by log_parameter_max_length: keep what is there.
        value += text.slice(k);
        k = n;
        break;
      }
      value += text.slice(k, q);
      if (text[q + 1] === "'") {
        value += "'";
        k = q + 2;
        continue;
      }
      k = q + 1;
      break;
    }
    values[index] = value;
    i = k;
    if (text.startsWith('...', i)) i += 3;
  }
  for (let k = 0; k < values.length; k++) if (values[k] === undefined) values[k] = null;
  return values;
}
