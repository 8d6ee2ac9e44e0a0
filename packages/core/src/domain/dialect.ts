/** SQL dialects the toolkit understands. */
export type Dialect = 'postgres' | 'mysql' | 'sqlite';

export const DIALECTS: readonly Dialect[] = ['postgres', 'mysql', 'sqlite'];
