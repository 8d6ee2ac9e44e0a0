import { StbError } from '@sqltrace/core';

/** Fields a `log_line_prefix` can carry that we use. */
export type PrefixField = 'ts' | 'epoch' | 'pid' | 'user' | 'database' | 'application' | 'session' | 'sqlstate' | 'host' | 'lineNum';

/** A `log_line_prefix` turned into a regular expression over whole log lines. */
export interface CompiledPrefix {
  readonly prefix: string;
  /**
   * Matches a line's prefix and severity, up to the message (which is the rest of the line:
   * `line.slice(match[0].length)`); groups are `fields` in order, then the severity.
   */
  readonly regex: RegExp;
  readonly fields: readonly PrefixField[];
  /** For the generic fallback: group 1 is the whole prefix, read field by field. */
  readonly generic?: boolean;
}

export const SEVERITIES = 'LOG|ERROR|WARNING|NOTICE|INFO|DEBUG[1-5]?|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION';

const TS = '(\\d{4}-\\d\\d-\\d\\d[ T]\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?: ?(?:[A-Za-z][A-Za-z0-9]{0,5}|[+-]\\d\\d(?::?\\d\\d)?))?)';

const ESCAPES: Record<string, [string, PrefixField | undefined]> = {
  a: ['(.*?)', 'application'],
  // User and database names never hold commas or spaces in practice; allowing them would let a
  // shorter candidate prefix swallow the fields that follow.
  u: ['([^,\\s]*?)', 'user'],
  d: ['([^,\\s]*?)', 'database'],
  r: ['(\\S*?)', 'host'],
  h: ['(\\S*?)', 'host'],
  b: ['(?:.*?)', undefined],
  p: ['(\\d+)', 'pid'],
  P: ['(?:\\d*)', undefined],
  t: [TS, 'ts'],
  m: [TS, 'ts'],
  n: ['(\\d+(?:\\.\\d+)?)', 'epoch'],
  i: ['(?:.*?)', undefined],
  e: ['([0-9A-Z]{5})', 'sqlstate'],
  c: ['([0-9a-f]+\\.[0-9a-f]+)', 'session'],
  l: ['(\\d+)', 'lineNum'],
  s: ['(?:\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?: ?[A-Za-z]{1,6}|[+-]\\d\\d)?)', undefined],
  v: ['(?:\\S*?)', undefined],
  x: ['(?:\\d*)', undefined],
  Q: ['(?:-?\\d*)', undefined],
};

/**
 * Compiles a PostgreSQL `log_line_prefix` (`%m [%p] `, `%t:%r:%u@%d:[%p]:`…) into a line regex.
 * `%q` makes the rest optional (non-session processes stop printing there).
 */
export function compilePrefix(prefix: string): CompiledPrefix {
  let pattern = '';
  const fields: PrefixField[] = [];
  let optionalOpen = 0;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix[i]!;
    if (ch !== '%') {
      pattern += ch === ' ' ? ' ?' : escapeRegex(ch); // trailing prefix spaces are often trimmed
      continue;
    }
    let esc = prefix[++i];
    // Padding such as %-10u or %5p.
    while (esc !== undefined && /[-0-9]/.test(esc)) esc = prefix[++i];
    if (esc === undefined) break;
    if (esc === '%') {
      pattern += '%';
      continue;
    }
    if (esc === 'q') {
      pattern += '(?:';
      optionalOpen++;
      continue;
    }
    const entry = ESCAPES[esc];
    if (entry === undefined) {
      throw new StbError('E_USAGE', `log_line_prefix escape %${esc} is not known`, {
        hint: 'See https://www.postgresql.org/docs/current/runtime-config-logging.html#GUC-LOG-LINE-PREFIX',
      });
    }
    // A captured field may be padded (%5p): allow leading spaces before it.
    pattern += entry[0].startsWith('(?:') ? entry[0] : `\\s*${entry[0]}`;
    if (entry[1] !== undefined) fields.push(entry[1]);
  }
  pattern += ')?'.repeat(optionalOpen);
  const regex = new RegExp(`^${pattern}\\s*(${SEVERITIES}):  ?`, 's');
  return { prefix, regex, fields };
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Prefixes seen in the wild, tried in order when the user gives none. */
export const COMMON_PREFIXES: readonly string[] = [
  '%m [%p] ',
  '%t [%p] ',
  '%m [%p] %q%u@%d ',
  '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ',
  '%t [%p]: [%l-1] user=%u,db=%d ',
  '%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ',
  '%t [%p]: db=%d,user=%u,app=%a,client=%h ',
  '%t:%r:%u@%d:[%p]:',
  '%t:%h:%u@%d:[%p]:',
  '%m|%u|%d|%c|',
  '%m [%p] user=%u,db=%d,app=%a ',
  '%t [%p] user=%u,db=%d,app=%a ',
  '%m [%p] user=%u,db=%d ',
  '%m [%p] user=%u,db=%d,app=%a,client=%h ',
  '%t [%p]: [%l-1] [%e] usr=%u,db=%d,appli=%a ',
  '%t [%p]: [%l-1] [%x] usr=%u,db=%d,appli=%a ',
  '%m [%p] [queryid=%Q] ',
  '%t [%p] %q%u@%d ',
  '%m %u@%d [%p] ',
  '%m [%p-%l] %q%u@%d ',
  '%t [%p-%l] %q%u@%d ',
  '%t [%p]: [%l-1] user=%u,db=%d,host=%h,app=%a ',
  '%m [%p]: [%l-1] user=%u,db=%d,host=%h,app=%a ',
  // Inside syslog and Cloud Logging envelopes, which carry the time (and pid) themselves.
  '[%p]: [%l-1] db=%d,user=%u ',
  'db=%d,user=%u,app=%a,client=%h ',
  'user=%u,db=%d,app=%a,client=%h ',
  'db=%d,user=%u ',
  'user=%u,db=%d ',
  '%m ',
  '%t ',
  '',
];

/**
 * The fallback when no known prefix fits: everything before the severity is the prefix, and the
 * usual fields are picked out of it (a leading timestamp, `[pid]`, `user=`, `db=`, `app=`, a `%c`
 * session id, `user@db`).
 */
export const GENERIC_PREFIX: CompiledPrefix = {
  prefix: '(generic)',
  regex: new RegExp(`^(.*?)\\b(${SEVERITIES}):  ?`, 's'),
  fields: [],
  generic: true,
};

/** Where each field is found in a prefix of unknown layout (group 1 is the value). */
const GENERIC_FIELDS: readonly (readonly [PrefixField, RegExp])[] = [
  ['ts', new RegExp(`^${TS}`)],
  ['pid', /\[(\d+)\]/],
  ['user', /\b(?:user|usr)=([^,\s]*)/],
  ['database', /\b(?:db|database|dbname)=([^,\s]*)/],
  ['application', /\b(?:app|appli|application|application_name)=([^,\s]*)/],
  ['session', /\b([0-9a-f]{6,}\.[0-9a-f]{1,8})\b/],
];
const G_USER_AT_DB = /(?:^|[\s:])([\w.-]+)@([\w.-]+)(?=[\s:]|$)/;

/** Fields of a prefix text matched by {@link GENERIC_PREFIX}. */
export function readGenericPrefix(text: string): Partial<Record<PrefixField, string>> {
  const out: Partial<Record<PrefixField, string>> = {};
  for (const [field, re] of GENERIC_FIELDS) {
    const m = re.exec(text);
    if (m) out[field] = m[1];
  }
  if (out.user === undefined && out.database === undefined) {
    const at = G_USER_AT_DB.exec(text);
    if (at) {
      out.user = at[1];
      out.database = at[2];
    }
  }
  return out;
}

/** Picks the prefix that matches the most sample lines (ties go to the earlier, more specific one). */
export function detectPrefix(sample: readonly string[]): CompiledPrefix | undefined {
  const candidates = COMMON_PREFIXES.map(compilePrefix);
  let best: CompiledPrefix | undefined;
  let bestScore = 0;
  for (const candidate of candidates) {
    let score = 0;
    for (const line of sample) {
      const m = candidate.regex.exec(line);
      if (m === null) continue;
      // Prefer prefixes that actually extract a timestamp and a process id.
      score += 1;
      const tsAt = candidate.fields.indexOf('ts');
      if (tsAt !== -1 && m[tsAt + 1]) score += 0.5;
      const pidAt = candidate.fields.indexOf('pid');
      const sessionAt = candidate.fields.indexOf('session');
      if ((pidAt !== -1 && m[pidAt + 1]) || (sessionAt !== -1 && m[sessionAt + 1])) score += 0.5;
      for (let k = 1; k <= candidate.fields.length; k++) if (m[k]) score += 0.01;
    }
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  // A candidate must account for most message lines; otherwise read prefixes field by field.
  const messages = sample.filter((l) => GENERIC_PREFIX.regex.test(l)).length;
  if (messages > 0 && (best === undefined || bestScore < messages * 0.8)) return GENERIC_PREFIX;
  return best;
}
