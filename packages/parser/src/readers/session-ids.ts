/**
 * Session ids for logs that name connections by a reusable number (a PostgreSQL pid without %c, a
 * MySQL thread id): the first connection on a number is `1234`, later ones `1234#1`, `1234#2`…
 * Remembers at most `limit` numbers; past that it starts a new epoch (`1234#e1.0`) so ids stay
 * unique while memory stays bounded.
 */
export class SessionIds {
  readonly #limit: number;
  #generations = new Map<string, number>();
  #epoch = 0;

  constructor(limit = 200_000) {
    this.#limit = limit;
  }

  /** The id of the current connection on `key`. */
  current(key: string): string {
    const gen = this.#generations.get(key) ?? 0;
    if (this.#epoch === 0) return gen === 0 ? key : `${key}#${gen}`;
    return `${key}#e${this.#epoch}.${gen}`;
  }

  /** The connection on `key` ended (or a new one started): the next one gets a new id. */
  next(key: string): void {
    if (this.#generations.size >= this.#limit && !this.#generations.has(key)) {
      this.#generations = new Map();
      this.#epoch++;
    }
    this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
  }
}
