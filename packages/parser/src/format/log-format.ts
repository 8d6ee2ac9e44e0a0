/** The input formats `stb parse` reads. */
export type LogFormat = 'pg-stderr' | 'pg-csv' | 'pg-json' | 'mysql-general' | 'mysql-slow' | 'sql';

export const LOG_FORMATS: readonly LogFormat[] = ['pg-stderr', 'pg-csv', 'pg-json', 'mysql-general', 'mysql-slow', 'sql'];

export function dialectOf(format: LogFormat): 'postgres' | 'mysql' | undefined {
  if (format.startsWith('pg-')) return 'postgres';
  if (format.startsWith('mysql-')) return 'mysql';
  return undefined;
}
