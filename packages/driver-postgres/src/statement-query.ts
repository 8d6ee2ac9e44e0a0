import pg from 'pg';
import type { ExecuteResult, ParamValue } from '@sqltrace/core';
import { executePreparedMessage, parameterText } from './execute-prepared-message';

/** The part of pg's protocol connection a custom query drives (pg-cursor and pg-query-stream use the same). */
interface ProtocolConnection {
  readonly stream: { cork?(): void; uncork?(): void; write(data: Buffer): boolean };
  readonly parsedStatements: Record<string, string | undefined>;
  readonly submittedNamedStatements: Record<string, string | undefined>;
  query(text: string): void;
  parse(config: { text: string; name: string }): void;
  bind(config: { statement: string; values: readonly unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { portal: string }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

export interface FieldDescription {
  readonly name: string;
  readonly dataTypeID: number;
}

/** What one connection knows of its prepared statements' results: the columns, by statement name. */
export type ResultShapes = Map<string, readonly FieldDescription[]>;

type TypeParser = (oid: number, format: 'text') => (value: string) => unknown;

/**
 * One statement, submitted through pg's custom-query interface (`client.query(submittable)`, the
 * extension point pg-cursor and pg-query-stream use) instead of `client.query(config)`.
 *
 * Why: a benchmark client must spend as little CPU per statement as it can, because on the
 * database's own machine every microsecond it spends is taken from the server. pg's general path
 * copies the query config through property descriptors, builds an event-emitting Query and a Result
 * that parses every row as it arrives, and wraps the callback in a second promise to rewrite its
 * stack; this path writes the same protocol messages (Parse once per connection for a named
 * statement with Bind/Describe/Execute/Sync, then Bind/Execute/Sync in one buffer — the result's
 * columns are known from the first Describe —, or a simple Query) and keeps the raw text of the
 * last result's rows, turning them into objects with the client's type parsers only when someone
 * reads `rows`.
 */
export class StatementQuery implements pg.Submittable {
  readonly #text: string;
  /** Undefined: the simple protocol. '' (unnamed) or a name: the extended protocol. */
  readonly #name: string | undefined;
  readonly #values: readonly ParamValue[] | undefined;
  readonly #shapes: ResultShapes | undefined;
  /** Columns learnt from this execution's Describe, kept for the next ones (named statements). */
  #describing = false;
  readonly #typeParser: TypeParser;
  readonly #settle: (error: unknown, result?: ExecuteResult) => void;
  #fields: readonly FieldDescription[] = [];
  #raw: (readonly (string | null)[])[] = [];
  #rowCount: number | undefined;
  /** The last statement's CommandComplete has arrived (a statement after it starts a new result). */
  #complete = false;
  #error: unknown;

  constructor(
    text: string,
    extended: { readonly name: string; readonly values: readonly ParamValue[]; readonly shapes: ResultShapes } | undefined,
    typeParser: TypeParser,
    settle: (error: unknown, result?: ExecuteResult) => void,
  ) {
    this.#text = text;
    this.#name = extended?.name;
    this.#values = extended?.values;
    this.#shapes = extended?.shapes;
    this.#typeParser = typeParser;
    this.#settle = settle;
  }

  /** pg deletes a failed named statement from `submittedNamedStatements` through this. */
  get name(): string | undefined {
    return this.#name || undefined;
  }

  get text(): string {
    return this.#text;
  }

  submit(connection: pg.Connection): void {
    const c = connection as unknown as ProtocolConnection;
    const name = this.#name;
    if (name === undefined) {
      c.query(this.#text);
      return;
    }
    const shape = name === '' ? undefined : this.#shapes!.get(name);
    if (shape !== undefined && c.parsedStatements[name] !== undefined) {
      this.#fields = shape;
      c.stream.write(executePreparedMessage(name, this.#values!));
      return;
    }
    c.stream.cork?.();
    try {
      if (name === '' || (c.parsedStatements[name] === undefined && c.submittedNamedStatements[name] === undefined)) {
        c.parse({ text: this.#text, name });
        if (name !== '') c.submittedNamedStatements[name] = this.#text;
      }
      c.bind({ statement: name, values: this.#values!, valueMapper: parameterText });
      c.describe({ type: 'P', name: '' });
      this.#describing = name !== '';
      c.execute({ portal: '' });
      c.sync();
    } finally {
      c.stream.uncork?.();
    }
  }

  handleRowDescription(message: { fields: readonly FieldDescription[] }): void {
    // A simple-protocol text may hold several statements: the last result is the one returned.
    this.#fields = message.fields;
    this.#raw = [];
    this.#rowCount = undefined;
    this.#complete = false;
  }

  handleDataRow(message: { fields: readonly (string | null)[] }): void {
    this.#raw.push(message.fields);
  }

  handleCommandComplete(message: { text: string }): void {
    if (this.#complete) {
      this.#fields = [];
      this.#raw = [];
    }
    this.#complete = true;
    const space = message.text.lastIndexOf(' ');
    const count = space < 0 ? NaN : Number(message.text.slice(space + 1));
    this.#rowCount = Number.isInteger(count) ? count : undefined;
  }

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyInResponse(connection: pg.Connection): void {
    (connection as unknown as ProtocolConnection).sendCopyFail('stb does not replay COPY FROM STDIN data');
  }

  handleCopyData(): void {}

  /** Terminal: pg clears the active query before calling this, and no ReadyForQuery reaches it. */
  handleError(error: unknown): void {
    this.#error ??= error;
    this.#settle(error);
  }

  handleReadyForQuery(): void {
    if (this.#error !== undefined) return;
    // NoData (a statement without result columns) sends no RowDescription: the shape is then [].
    if (this.#describing) this.#shapes!.set(this.#name!, this.#fields);
    this.#settle(undefined, new StatementResult(this.#rowCount ?? this.#raw.length, this.#fields, this.#raw, this.#typeParser));
  }
}

/**
 * pg's pipeline mode refuses custom queries that are not pg Query objects, because a cursor-like
 * one keeps a portal open across round trips and the statements written behind it would be answered
 * out of that portal. A StatementQuery runs its statement to the end, with its own Sync, so it is
 * safe there: it takes Query's prototype to pass that check — without Query's constructor, whose
 * per-statement result object is part of the cost it exists to avoid. Every handler pg calls is its own.
 */
Object.setPrototypeOf(StatementQuery.prototype, (pg as unknown as { Query: { prototype: object } }).Query.prototype);

/** The last result of a statement; rows become objects (with the client's type parsers) when read. */
class StatementResult implements ExecuteResult {
  readonly rowCount: number;
  readonly #fields: readonly FieldDescription[];
  readonly #raw: readonly (readonly (string | null)[])[];
  readonly #typeParser: TypeParser;
  #rows: Record<string, unknown>[] | undefined;

  constructor(rowCount: number, fields: readonly FieldDescription[], raw: readonly (readonly (string | null)[])[], typeParser: TypeParser) {
    this.rowCount = rowCount;
    this.#fields = fields;
    this.#raw = raw;
    this.#typeParser = typeParser;
  }

  get rows(): readonly Record<string, unknown>[] {
    if (this.#rows === undefined) {
      const parsers = this.#fields.map((f) => this.#typeParser(f.dataTypeID, 'text'));
      this.#rows = this.#raw.map((values) => {
        const row: Record<string, unknown> = {};
        this.#fields.forEach((f, i) => {
          const v = values[i];
          row[f.name] = v === null || v === undefined ? null : parsers[i]!(v);
        });
        return row;
      });
    }
    return this.#rows;
  }
}
