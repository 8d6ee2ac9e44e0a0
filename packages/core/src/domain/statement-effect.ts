/**
 * What running a statement does to the database it runs on, for the replay safety policy:
 * `read` and `write` touch data; `ddl` changes the schema; `admin` reaches beyond the data —
 * server configuration, roles and passwords, databases, files and programs on the server,
 * shutdown, other sessions.
 */
export type StatementEffect = 'read' | 'write' | 'ddl' | 'admin';

export interface StatementSafety {
  readonly effect: StatementEffect;
  /** DDL that destroys: DROP, TRUNCATE, ALTER … DROP / RENAME. */
  readonly destructive: boolean;
  /** What it is, in a few words, for the list of refused statements ("ALTER SYSTEM", "COPY … PROGRAM"). */
  readonly what: string;
}

/** Classifies a statement's text (a template's or an executed one's). */
export type StatementClassifier = (sql: string) => StatementSafety;

/** The classes a run may be allowed to send beyond reads and writes. */
export type AllowedEffect = 'ddl' | 'admin';
