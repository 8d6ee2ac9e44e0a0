import { PgEventAssembler } from './pg-event-assembler';
import { parseLogTimestamp } from './log-timestamp';
import type { LogReader, ReaderSink } from './reader-sink';

export interface PgCsvOptions {
  readonly offsetMinutes?: number;
  readonly onUnknownZone?: (zone: string) => void;
}

// csvlog columns (stable positions from 9.0 to 17; 13 added backend_type, 14 leader_pid and query_id).
const LOG_TIME = 0,
  USER = 1,
  DATABASE = 2,
  PID = 3,
  SESSION = 5,
  SEVERITY = 11,
  SQLSTATE = 12,
  MESSAGE = 13,
  DETAIL = 14,
  QUERY = 19,
  APPLICATION = 22;
const USED = columnMask([LOG_TIME, USER, DATABASE, PID, SESSION, SEVERITY, SQLSTATE, MESSAGE, DETAIL, QUERY, APPLICATION]);

/**
 * PostgreSQL csvlog. A record may span lines (quoted newlines); fields are RFC 4180 with `""`
 * escapes. Records with too few columns are reported, not guessed at.
 */
export class PgCsvReader implements LogReader {
  readonly #sink: ReaderSink;
  readonly #assembler: PgEventAssembler;
  readonly #options: PgCsvOptions;
  /** Lines of a record whose quoted field is still open (it spans lines). */
  #partial: string[] | undefined;
  #partialLine = 0;
  /** Whether the record so far has an odd number of `"` (RFC 4180: a field is still open). */
  #open = false;

  constructor(sink: ReaderSink, options: PgCsvOptions = {}) {
    this.#sink = sink;
    this.#options = options;
    this.#assembler = new PgEventAssembler(sink);
  }

  push(line: string, lineNo: number): void {
    if (this.#partial === undefined) {
      // Most records are one line: split it at once. Only a line that leaves a quoted field open
      // starts a multi-line record, whose later lines are tracked by quote parity alone
      // (re-splitting the growing text on every line would be quadratic in a long statement).
      const fields = splitCsvColumns(line, USED);
      if (fields !== undefined) return this.#record(fields, line, lineNo, 1);
      this.#partial = [line];
      this.#partialLine = lineNo;
      this.#open = true;
      return;
    }
    let quotes = 0;
    for (let k = line.indexOf('"'); k !== -1; k = line.indexOf('"', k + 1)) quotes++;
    this.#open = this.#open !== (quotes % 2 === 1);
    this.#partial.push(line);
    if (this.#open) return;
    const text = this.#partial.join('\n');
    const first = this.#partialLine,
      count = this.#partial.length;
    this.#partial = undefined;
    const fields = splitCsvColumns(text, USED);
    if (fields === undefined) return this.#sink.skipped(first, count, 'malformed csvlog record (unbalanced quotes)');
    this.#record(fields, text, first, count);
  }

  #record(fields: string[], text: string, first: number, count: number): void {
    if (text.length === 0) return this.#sink.skipped(first, count, 'empty line');
    if (fields.length < 22) return this.#sink.skipped(first, count, `csvlog record with ${fields.length} columns (expected 22 to 26)`);
    this.#assembler.process({
      line: first,
      lineCount: count,
      ts: parseLogTimestamp(fields[LOG_TIME]!, this.#options.offsetMinutes, this.#options.onUnknownZone),
      pid: fields[PID] || undefined,
      session: fields[SESSION] || undefined,
      user: fields[USER],
      database: fields[DATABASE],
      application: fields.length > APPLICATION ? fields[APPLICATION] : undefined,
      severity: fields[SEVERITY]!,
      sqlstate: fields[SQLSTATE] || undefined,
      message: fields[MESSAGE]!,
      detail: fields[DETAIL] || undefined,
      query: fields[QUERY] || undefined,
    });
  }

  end(): void {
    if (this.#partial !== undefined) {
      this.#sink.skipped(this.#partialLine, this.#partial.length, 'csvlog record cut off by the end of the file (unclosed quote)');
      this.#partial = undefined;
      this.#open = false;
    }
    this.#assembler.end();
  }
}

/**
 * Splits one CSV record; undefined when a quoted field is still open at the end of `text`.
 * With `keep`, other columns are skipped without building their strings (they come back as '').
 */
export function splitCsv(text: string, keep?: ReadonlySet<number>): string[] | undefined {
  return splitCsvColumns(text, keep === undefined ? undefined : columnMask([...keep]));
}

/** Column numbers as a lookup table (index → 1 when kept). */
function columnMask(columns: readonly number[]): Uint8Array {
  const mask = new Uint8Array(Math.max(0, ...columns) + 1);
  for (const c of columns) mask[c] = 1;
  return mask;
}

function splitCsvColumns(text: string, keep: Uint8Array | undefined): string[] | undefined {
  const fields: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    const wanted = keep === undefined || keep[fields.length] === 1;
    if (text.charCodeAt(i) === 34) {
      let value = '';
      let k = i + 1;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q === -1) return undefined;
        if (wanted) value += text.slice(k, q);
        if (text.charCodeAt(q + 1) === 34) {
          if (wanted) value += '"';
          k = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      fields.push(wanted ? text.slice(i, end) : '');
      i = end;
    }
    if (i >= n) return fields;
    if (text.charCodeAt(i) === 44) {
      i++;
      if (i === n) {
        fields.push('');
        return fields;
      }
      continue;
    }
    // Garbage after a closing quote: keep going from the next comma.
    const comma = text.indexOf(',', i);
    if (comma === -1) return fields;
    i = comma + 1;
  }
}
