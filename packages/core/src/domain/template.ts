import type { Dialect } from './dialect';

/** What a statement does; coarse enough to be stable across dialects. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'copy' | 'ddl' | 'tcl' | 'cursor' | 'utility' | 'unknown';

export const STATEMENT_KINDS: readonly StatementKind[] = [
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'copy',
  'ddl',
  'tcl',
  'cursor',
  'utility',
  'unknown',
];

/** The type of a template slot (a literal or placeholder position). */
export type SlotType =
  | 'int'
  | 'float'
  | 'string'
  | 'bool'
  | 'null'
  | 'datetime'
  | 'interval'
  | 'bytes'
  | 'param' // a `$n` / `?` placeholder whose value came from bind parameters
  | 'list-length'; // the cardinality of a collapsed IN-list or multi-row VALUES

export interface TemplateSlot {
  /** 1-based placeholder number in the template text. */
  readonly index: number;
  readonly type: SlotType;
}

export interface TemplateTables {
  readonly read: readonly string[];
  readonly written: readonly string[];
}

/** A normalized statement shared by every execution that differs only in literal values. */
export interface Template {
  /** Stable id: a hash of the normalized text, versioned with the normalizer. */
  readonly id: string;
  /** Normalized text with `$1…$n` placeholders numbered in text order. */
  readonly text: string;
  readonly dialect: Dialect;
  readonly kind: StatementKind;
  readonly tables?: TemplateTables;
  readonly slots: readonly TemplateSlot[];
}
