/** A coarse kind from the first keyword, for metrics labels (the bench reads traces, not templates). */
export function statementKind(sql: string): string {
  const word = (/^\s*([A-Za-z]+)/.exec(sql)?.[1] ?? '').toLowerCase();
  switch (word) {
    case 'select': case 'with': case 'show': case 'values': return 'select';
    case 'insert': case 'update': case 'delete': case 'merge': case 'copy': return word;
    case 'begin': case 'start': case 'commit': case 'end': case 'rollback': case 'savepoint': case 'release': case 'abort': return 'tcl';
    case 'create': case 'alter': case 'drop': case 'truncate': return 'ddl';
    default: return 'other';
  }
}
