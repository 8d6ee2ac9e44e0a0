import type { StatementKind } from './template';

const KIND_BY_FIRST_WORD: Record<string, StatementKind> = {
  select: 'select',
  values: 'select',
  table: 'select',
  show: 'utility',
  explain: 'utility',
  describe: 'utility',
  desc: 'utility',
  insert: 'insert',
  replace: 'insert',
  update: 'update',
  delete: 'delete',
  merge: 'merge',
  upsert: 'insert',
  copy: 'copy',
  load: 'copy',
  create: 'ddl',
  alter: 'ddl',
  drop: 'ddl',
  truncate: 'ddl',
  comment: 'ddl',
  rename: 'ddl',
  grant: 'ddl',
  revoke: 'ddl',
  reindex: 'utility',
  cluster: 'utility',
  refresh: 'ddl',
  security: 'ddl',
  begin: 'tcl',
  start: 'tcl',
  commit: 'tcl',
  rollback: 'tcl',
  end: 'tcl',
  savepoint: 'tcl',
  release: 'tcl',
  abort: 'tcl',
  prepare: 'utility',
  declare: 'cursor',
  fetch: 'cursor',
  close: 'cursor',
  move: 'cursor',
  set: 'utility',
  reset: 'utility',
  use: 'utility',
  analyze: 'utility',
  analyse: 'utility',
  vacuum: 'utility',
  checkpoint: 'utility',
  lock: 'utility',
  unlock: 'utility',
  listen: 'utility',
  notify: 'utility',
  unlisten: 'utility',
  discard: 'utility',
  do: 'utility',
  call: 'utility',
  execute: 'utility',
  deallocate: 'utility',
  flush: 'utility',
  kill: 'utility',
  optimize: 'utility',
  check: 'utility',
  handler: 'utility',
  help: 'utility',
  install: 'utility',
  uninstall: 'utility',
  purge: 'utility',
  xa: 'tcl',
  with: 'select',
};

/**
 * The statement kind from the first keyword: a cheap first guess for the hot path. `WITH …`
 * statements are refined by the grammar-based analysis, which runs once per template.
 */
export function kindOfFirstWord(word: string): StatementKind {
  return KIND_BY_FIRST_WORD[word.toLowerCase()] ?? 'unknown';
}

/** The kind of a statement from its first keyword (leading white space and `(` skipped). */
export function kindOfStatement(sql: string): StatementKind {
  return kindOfFirstWord(/^[\s(]*([A-Za-z]+)/.exec(sql)?.[1] ?? '');
}
