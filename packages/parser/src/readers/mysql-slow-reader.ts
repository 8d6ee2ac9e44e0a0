import type { TraceEvent } from '@sqltrace/core';
import { parseLogTimestamp } from './log-timestamp';
import type { LogReader, ReaderSink } from './reader-sink';

export interface MysqlSlowOptions {
  readonly offsetMinutes?: number;
}

const SERVER_HEADER = /^(?:.+, Version: .* started with:|Tcp port: \d+ |TCP Port: \d+,|Time {5,}Id Command)/;
const ENTRY_START = /^# (?:Time|User@Host|Thread_id|Query_time):/;

interface Entry {
  line: number;
  lines: number;
  endTs: number;
  setTs: number;
  session: string | undefined;
  user: string | undefined;
  host: string | undefined;
  database: string | undefined;
  queryTime: number | undefined;
  admin: boolean;
  /** The entry's `use db;` line: the statement itself when nothing else follows. */
  useLine: string | undefined;
  /** A non-header line (use, SET timestamp, statement) was seen: the next header starts a new entry. */
  body: boolean;
  sql: string[];
}

/**
 * MySQL / MariaDB / Percona Server slow query logs: `# Time`, `# User@Host … Id:`, `# Thread_id`,
 * `# Query_time`, `# Schema`, then `use db;`, `SET timestamp=…;` and the statement. The start time
 * is the logged end time minus Query_time (or `SET timestamp`, which has only seconds).
 */
export class MysqlSlowReader implements LogReader {
  readonly #sink: ReaderSink;
  readonly #offset: number;
  #entry: Entry | undefined;
  #lastTime = NaN;
  #database: Map<string, string> = new Map();

  constructor(sink: ReaderSink, options: MysqlSlowOptions = {}) {
    this.#sink = sink;
    this.#offset = options.offsetMinutes ?? 0;
  }

  push(line: string, lineNo: number): void {
    if (line.startsWith('#')) {
      if (ENTRY_START.test(line) && (this.#entry === undefined || this.#entry.body)) {
        this.#finish();
        this.#entry = this.#newEntry(lineNo);
      } else if (this.#entry === undefined) {
        this.#entry = this.#newEntry(lineNo);
      } else if (this.#entry.sql.length > 0) {
        // A comment inside a statement.
        this.#entry.sql.push(line);
        this.#entry.lines++;
        return;
      }
      this.#entry.lines++;
      this.#header(this.#entry, line);
      return;
    }
    if (SERVER_HEADER.test(line)) {
      this.#finish();
      return this.#sink.skipped(lineNo, 1, 'server start-up header');
    }
    const entry = this.#entry;
    if (entry === undefined) return this.#sink.skipped(lineNo, 1, line.length === 0 ? 'empty line' : 'statement text without a `# Time`/`# User@Host` header');
    entry.lines++;
    entry.body = true;
    if (entry.sql.length === 0) {
      const use = /^use\s+`?([^`;\s]+)`?;\s*$/i.exec(line);
      if (use) {
        entry.database = use[1];
        entry.useLine = line.trim();
        return;
      }
      const set = /^SET\s+timestamp\s*=\s*(\d+);\s*$/i.exec(line);
      if (set) {
        entry.setTs = Number(set[1]) * 1_000_000;
        return;
      }
      if (line.trim().length === 0) return;
    }
    entry.sql.push(line);
  }

  end(): void {
    this.#finish();
  }

  #newEntry(lineNo: number): Entry {
    return {
      line: lineNo,
      lines: 0,
      endTs: this.#lastTime,
      setTs: NaN,
      session: undefined,
      user: undefined,
      host: undefined,
      database: undefined,
      queryTime: undefined,
      admin: false,
      useLine: undefined,
      body: false,
      sql: [],
    };
  }

  #header(entry: Entry, line: string): void {
    // One physical line may hold several headers: `# Time: 071218 11:48:27 # User@Host: …`
    for (const part of line.split(/(?=# [A-Z][A-Za-z_@]*:)/)) {
      const text = part.replace(/^#\s*/, '');
      if (text.startsWith('Time:')) {
        const t = text.slice(5).trim();
        const ts = parseLogTimestamp(t.replace('T', ' '), this.#offset);
        if (!Number.isNaN(ts)) {
          this.#lastTime = ts;
          entry.endTs = ts;
        }
      } else if (text.startsWith('User@Host:')) {
        const m = /^User@Host:\s*([^[\s]*)\[[^\]]*\]\s*@\s*(\S*)\s*\[([^\]]*)\](?:\s+Id:\s*(\d+))?/.exec(text);
        if (m) {
          entry.user = m[1] || undefined;
          entry.host = m[2] || m[3] || undefined;
          if (m[4]) entry.session = m[4];
        }
      } else if (text.startsWith('Thread_id:')) {
        const m = /^Thread_id:\s*(\d+)/.exec(text);
        if (m) entry.session = m[1];
        const schema = /Schema:\s*(\S+)/.exec(text);
        if (schema) entry.database = schema[1];
      } else if (text.startsWith('Query_time:')) {
        const m = /^Query_time:\s*([\d.]+)/.exec(text);
        if (m) entry.queryTime = Number(m[1]);
      } else if (text.startsWith('administrator command:')) {
        entry.admin = true;
      } else if (text.startsWith('Schema:')) {
        const m = /^Schema:\s*(\S+)/.exec(text);
        if (m) entry.database = m[1];
      }
    }
  }

  #finish(): void {
    const entry = this.#entry;
    if (entry === undefined) return;
    this.#entry = undefined;
    const sql = entry.sql.length > 0 ? entry.sql.join('\n').trim() : (entry.useLine ?? '');
    if (sql.length === 0 && entry.admin) return this.#sink.skipped(entry.line, entry.lines, 'administrator command (not a statement)');
    if (sql.length === 0) return this.#sink.skipped(entry.line, entry.lines, 'slow log entry without a statement');
    if (/^(?:#\s*)?administrator command:/i.test(sql)) return this.#sink.skipped(entry.line, entry.lines, 'administrator command (not a statement)');
    const durationUs = entry.queryTime === undefined ? undefined : Math.round(entry.queryTime * 1e6);
    let ts = entry.endTs;
    if (!Number.isNaN(ts) && durationUs !== undefined) ts -= durationUs;
    if (!Number.isNaN(entry.setTs) && (Number.isNaN(ts) || Math.abs(entry.setTs - ts) > 1_000_000)) ts = entry.setTs;
    const session = entry.session ?? (entry.user !== undefined || entry.host !== undefined ? `${entry.user ?? ''}@${entry.host ?? ''}` : 'unknown');
    if (entry.database !== undefined) {
      // Remember each session's database for its later entries; bounded (oldest forgotten first).
      if (this.#database.size >= 100_000 && !this.#database.has(session)) this.#database.delete(this.#database.keys().next().value!);
      this.#database.set(session, entry.database);
    }
    const database = entry.database ?? this.#database.get(session);
    this.#sink.used(entry.lines);
    const event: TraceEvent = { ts, session, sql };
    if (durationUs !== undefined) event.durationUs = durationUs;
    if (entry.user !== undefined) event.user = entry.user;
    if (database !== undefined) event.database = database;
    this.#sink.event(event);
  }
}
