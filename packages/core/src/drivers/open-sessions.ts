import type { DriverSession } from '../ports/driver';

/** The sessions a driver has open, so `destroy()` can close them all; a session leaves as it closes. */
export class OpenSessions<S extends DriverSession> {
  readonly #open = new Set<S>();

  /** Registers the session `create` makes; `create` receives the callback its session calls when it closes. */
  add(create: (release: () => void) => S): S {
    const session: S = create(() => this.#open.delete(session));
    this.#open.add(session);
    return session;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((session) => session.close()));
  }
}
