/** Words after which a `-` starts a negative number rather than a subtraction. */
export const UNARY_CONTEXT_WORDS = new Set([
  'select', 'where', 'and', 'or', 'not', 'when', 'then', 'else', 'return', 'returns', 'values', 'in', 'by', 'limit', 'offset',
  'is', 'between', 'like', 'ilike', 'case', 'set', 'having', 'on', 'as', 'distinct', 'all', 'any', 'some', 'from', 'default',
  'interval', 'to', 'using', 'array', 'exists', 'fetch', 'first', 'next', 'rows',
]);
