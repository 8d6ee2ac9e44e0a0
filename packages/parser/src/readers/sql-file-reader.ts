import type { LogReader, ReaderSink } from './reader-sink';

export interface SqlFileOptions {
  readonly dialect: 'postgres' | 'mysql' | 'sqlite';
  /** Session id given to every statement (a file of statements is one session). */
  readonly session?: string;
  /** Time of the first statement (µs) and the gap between statements; files carry no timing. */
  readonly startUs?: number;
  readonly gapUs?: number;
}

const enum State {
  Code,
  Single,
  Double,
  Backtick,
  Block,
  Dollar,
}

/**
 * A file of SQL statements (a psql or mysql script). Splits on `;` outside strings, quoted
 * identifiers, comments and dollar quotes; skips psql meta-commands (`\…` lines) and inline
 * `COPY … FROM stdin` data up to `\.`.
 */
export class SqlFileReader implements LogReader {
  readonly #sink: ReaderSink;
  readonly #pg: boolean;
  readonly #session: string;
  readonly #gap: number;
  #ts: number;
  #state = State.Code;
  #depth = 0;
  #tag = '';
  #text: string[] = [];
  #startLine = 0;
  #lines = 0;
  #copyData = false;
  /** Parenthesis depth: `;` inside parentheses (CREATE RULE … DO (a; b)) does not end a statement. */
  #depthParen = 0;

  constructor(sink: ReaderSink, options: SqlFileOptions) {
    this.#sink = sink;
    this.#pg = options.dialect !== 'mysql';
    this.#session = options.session ?? '1';
    this.#ts = options.startUs ?? 0;
    this.#gap = options.gapUs ?? 1000;
  }

  push(line: string, lineNo: number): void {
    if (this.#copyData) {
      if (line === '\\.') this.#copyData = false;
      return this.#sink.skipped(lineNo, 1, 'COPY data');
    }
    if (this.#state === State.Code && this.#text.length === 0) {
      const trimmed = line.trimStart();
      if (trimmed.startsWith('\\')) return this.#sink.skipped(lineNo, 1, 'psql meta-command');
      if (trimmed.length === 0) return this.#sink.skipped(lineNo, 1, 'empty line');
    }
    if (this.#text.length === 0) this.#startLine = lineNo;
    this.#lines++;
    let from = 0;
    let i = 0;
    const n = line.length;
    const pg = this.#pg;
    while (i < n) {
      const c = line.charCodeAt(i);
      switch (this.#state) {
        case State.Code:
          if (c === 39) this.#state = State.Single;
          else if (c === 34) this.#state = State.Double;
          else if (c === 96 && !pg) this.#state = State.Backtick;
          else if (c === 45 && line.charCodeAt(i + 1) === 45)
            i = n; // line comment
          else if (c === 35 && !pg) i = n;
          else if (c === 47 && line.charCodeAt(i + 1) === 42) {
            this.#state = State.Block;
            this.#depth = 1;
            i++;
          } else if (c === 36 && pg) {
            const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(line.slice(i));
            if (m && !(i > 0 && /[A-Za-z0-9_]/.test(line[i - 1]!))) {
              this.#tag = m[0];
              this.#state = State.Dollar;
              i += m[0].length - 1;
            }
          } else if (c === 40) {
            this.#depthParen++;
          } else if (c === 41) {
            if (this.#depthParen > 0) this.#depthParen--;
          } else if (c === 59 && this.#depthParen === 0) {
            this.#text.push(line.slice(from, i + 1));
            this.#emit();
            from = i + 1;
            // Later statements on this line: the line is already counted.
            this.#startLine = lineNo;
          }
          break;
        case State.Single:
          if (c === 92 && !pg) i++;
          else if (c === 39) {
            if (line.charCodeAt(i + 1) === 39) i++;
            else this.#state = State.Code;
          }
          break;
        case State.Double:
          if (c === 92 && !pg) i++;
          else if (c === 34) this.#state = State.Code;
          break;
        case State.Backtick:
          if (c === 96) this.#state = State.Code;
          break;
        case State.Block:
          if (c === 42 && line.charCodeAt(i + 1) === 47) {
            i++;
            if (--this.#depth === 0 || !pg) this.#state = State.Code;
          } else if (pg && c === 47 && line.charCodeAt(i + 1) === 42) {
            this.#depth++;
            i++;
          }
          break;
        case State.Dollar:
          if (c === 36 && line.startsWith(this.#tag, i)) {
            i += this.#tag.length - 1;
            this.#state = State.Code;
          }
          break;
      }
      i++;
    }
    const rest = line.slice(from);
    if (rest.trim().length > 0 || this.#text.length > 0) this.#text.push(rest);
  }

  end(): void {
    if (this.#text.join('').trim().length > 0) this.#emit();
    else if (this.#lines > 0) this.#sink.skipped(this.#startLine, this.#lines, 'comment or blank');
    this.#text = [];
    this.#lines = 0;
  }

  #emit(): void {
    const sql = this.#text.join('\n').trim();
    const lines = this.#lines;
    this.#text = [];
    this.#lines = 0;
    const body = sql.replace(/;\s*$/, '').trim();
    if (body.length === 0 || isOnlyComments(body, this.#pg)) {
      if (lines > 0) this.#sink.skipped(this.#startLine, lines, 'comment or blank');
      return;
    }
    this.#sink.used(lines);
    this.#sink.event({ ts: this.#ts, session: this.#session, sql: body });
    this.#ts += this.#gap;
    if (this.#pg && /^copy\b[\s\S]*\bfrom\s+stdin\b/i.test(body)) this.#copyData = true;
  }
}

function isOnlyComments(sql: string, pg: boolean): boolean {
  const stripped = sql
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/--[^\n]*/g, '')
    .replace(pg ? /$^/ : /#[^\n]*/g, '');
  return stripped.trim().length === 0;
}
