import pLimit, { type LimitFunction } from 'p-limit';
import type { DriverSession, TraceEvent, TraceSource } from '@sqltrace/core';
import type { RunContext } from './run-context';
import { waitUntil } from './wait-until';

export interface ReplaySettings {
  /** Time compression; Infinity: each session runs its statements back to back. */
  readonly speed: number;
  /** At most this many sessions run at once; later ones queue (and their lag shows it). */
  readonly maxConnections: number;
  /** Stop after this long (wall clock): statements not started by then are not run. */
  readonly durationSeconds?: number;
  /** The trace time (µs) due at the context's start (default: the first event's). */
  readonly firstTs?: number;
  /**
   * Statements a session may have in flight (default 1: each waits for the previous one's
   * result). Above 1 the context's connections must pipeline (RunContext `pipelined`).
   */
  readonly pipeline?: number;
}

interface Pending {
  readonly event: TraceEvent;
  readonly intended: number | undefined;
}

/** One traced session as it replays. */
interface Session {
  readonly id: string;
  readonly queue: Pending[];
  running: Promise<void> | undefined;
  connection: DriverSession | undefined;
  release: (() => void) | undefined;
  idle: NodeJS.Timeout | undefined;
  /** Its latest statement's trace time (µs). */
  lastTs: number;
}

/** A session with nothing to run for this long (ms, on the clock or in the trace's time) disconnects. */
const IDLE_CLOSE_MS = 2_000;
const IDLE_CLOSE_US = IDLE_CLOSE_MS * 1000;

/**
 * How far ahead of the clock the reader queues statements, and at most how many (bounded memory).
 * Not only a buffer: a log written as statements end (`log_min_duration_statement`) lists each one
 * after those that started later and ended sooner, so a statement read up to this long (in the
 * replay's time) after its start is still run on time.
 */
const LOOKAHEAD_MS = 5_000;
const LOOKAHEAD_EVENTS = 50_000;
/** At --speed max, statements read ahead of the sessions (more only makes more garbage to collect). */
const READ_AHEAD_MAX_SPEED = 10_000;

/**
 * Replays a trace with its own timing: one connection per traced session, statements in order
 * within a session, every session independent of the others — a session waiting on a lock never
 * holds back the session that will release it (the global order of the log is not kept, as it
 * cannot be without deadlocks). Statement i is due at start + (ts_i − ts_0) / speed. With a
 * pipeline above 1 a session sends a statement when it is due without waiting for the answers to
 * those before it, up to that many in flight; the server still runs them in order.
 */
export async function replay(trace: TraceSource, context: RunContext, settings: ReplaySettings): Promise<{ lastIntended: number }> {
  const sessions = new ReplaySessions(context, settings);
  let firstTs = settings.firstTs;
  let lastIntended = context.start;
  for await (const event of trace.events()) {
    if (context.stopped || sessions.timeUp()) break;
    firstTs ??= event.ts;
    const intended = Number.isFinite(settings.speed) ? context.start + (event.ts - firstTs) / 1000 / settings.speed : undefined;
    if (intended !== undefined && intended > sessions.endAt) break;
    if (intended !== undefined) {
      if (intended > lastIntended) lastIntended = intended;
      if (intended - performance.now() > LOOKAHEAD_MS) await waitUntil(intended - LOOKAHEAD_MS, context.signal);
    }
    // Bounded memory: past the read-ahead's size, read on once the sessions have taken half of it.
    const readAhead = intended === undefined ? READ_AHEAD_MAX_SPEED : LOOKAHEAD_EVENTS;
    if (sessions.queued > readAhead) {
      while (sessions.queued > readAhead / 2 && !context.stopped && !sessions.timeUp()) await new Promise((r) => setTimeout(r, 1));
    }
    sessions.add(event, intended);
  }
  await sessions.finish();
  return { lastIntended };
}

/**
 * The traced sessions of one replay: each one's queue of statements, its connection (under the
 * connection cap) and the task that runs its queue; idle ones retire and disconnect.
 */
class ReplaySessions {
  /** `--duration`'s end on the clock (ms), or Infinity. */
  readonly endAt: number;
  /** --duration is up (no clock read per statement when there is none). */
  readonly timeUp: () => boolean;
  /** Statements read and not yet taken by their session. */
  queued = 0;

  readonly #context: RunContext;
  readonly #maxConnections: number;
  /** Statements a session may have in flight. */
  readonly #depth: number;
  readonly #limit: LimitFunction;
  /** The sessions in play (connected, connecting or queued), the one whose latest statement is oldest first. */
  readonly #sessions = new Map<string, Session>();
  /** Disconnections under way of the sessions retired. */
  readonly #closing = new Set<Promise<void>>();
  /** Handed to the context: called when every connection is taken and a session needs one. */
  readonly #makeRoom = () => this.#retireLongestIdle();

  constructor(context: RunContext, settings: ReplaySettings) {
    this.#context = context;
    this.#maxConnections = settings.maxConnections;
    this.#depth = settings.pipeline ?? 1;
    this.#limit = pLimit(settings.maxConnections);
    this.endAt = settings.durationSeconds === undefined ? Infinity : context.start + settings.durationSeconds * 1000;
    const endAt = this.endAt;
    this.timeUp = settings.durationSeconds === undefined ? () => false : () => performance.now() >= endAt;
  }

  /** Queues a statement for its session (now the most recent), starts the session's task if it is not running, and retires the idle. */
  add(event: TraceEvent, intended: number | undefined): void {
    let s = this.#sessions.get(event.session);
    if (s === undefined) s = { id: event.session, queue: [], running: undefined, connection: undefined, release: undefined, idle: undefined, lastTs: event.ts };
    else this.#sessions.delete(event.session);
    this.#sessions.set(event.session, s);
    s.lastTs = event.ts;
    s.queue.push({ event, intended });
    this.queued++;
    this.#schedule(s);
    this.#retireIdle(event.ts);
  }

  /**
   * The trace is read: a session with nothing left closes its connection now — in a log cut
   * mid-transaction its open transaction (and its locks) must end, or the sessions waiting on
   * them never finish — and every other session closes as soon as it is done.
   */
  async finish(): Promise<void> {
    const ending: Promise<void>[] = [...this.#closing];
    for (const s of this.#sessions.values()) {
      const close = async () => {
        while (s.running !== undefined) await s.running;
        if (s.idle !== undefined) clearTimeout(s.idle);
        await this.#disconnect(s);
      };
      ending.push(close());
    }
    await Promise.all(ending);
  }

  /**
   * A connection slot. The cap is on connections: a session takes a slot when it connects and
   * gives it back when it disconnects. (Gating each burst of work instead would let sessions
   * waiting on a lock hold every slot while the session that holds the lock — connected,
   * mid-transaction — waits for one.)
   */
  #acquire(): Promise<() => void> {
    return new Promise<() => void>((granted) => void this.#limit(() => new Promise<void>((release) => granted(release))));
  }

  async #disconnect(s: Session): Promise<void> {
    const connection = s.connection;
    const release = s.release;
    s.connection = undefined;
    s.release = undefined;
    await this.#context.close(connection);
    release?.();
  }

  /** An idle session leaves the table (its lag folded into the report) and disconnects: over a log of millions of short sessions the table holds only those still going. */
  #retire(s: Session): void {
    if (s.idle !== undefined) clearTimeout(s.idle);
    s.idle = undefined;
    this.#sessions.delete(s.id);
    this.#context.recorder.sessionEnded(s.id);
    const closed = this.#disconnect(s).finally(() => this.#closing.delete(closed));
    this.#closing.add(closed);
  }

  /** Runs a session's queue: connects if it must, then each statement when it is due. */
  async #run(s: Session): Promise<void> {
    const context = this.#context;
    if (s.connection === undefined) {
      if (s.release === undefined && this.#limit.activeCount >= this.#maxConnections) this.#retireLongestIdle();
      s.release ??= await this.#acquire();
      s.connection = await context.open(this.#makeRoom);
    }
    // Pipelined: statements sent and not yet answered, and a wake-up for when one is.
    let inFlight = 0;
    let answered: (() => void) | undefined;
    for (;;) {
      if (s.queue.length === 0 || context.stopped || this.timeUp()) {
        // Done — once what is in flight is answered (the reader may queue more meanwhile).
        if (inFlight === 0) break;
        await new Promise<void>((wake) => (answered = wake));
        continue;
      }
      const { event, intended } = s.queue.shift()!;
      this.queued--;
      if (s.connection === undefined) {
        context.drop();
        continue;
      }
      if (intended !== undefined) await waitUntil(intended, context.signal);
      if (this.#depth === 1) s.connection = await context.execute(s.connection, event, intended ?? performance.now());
      else {
        const connection = s.connection;
        inFlight++;
        void context.execute(connection, event, intended ?? performance.now()).then((next) => {
          // Once lost, every statement in flight on it answers with the same replacement.
          if (s.connection === connection) s.connection = next;
          inFlight--;
          answered?.();
        });
        while (inFlight >= this.#depth) await new Promise<void>((wake) => (answered = wake));
      }
      const pause = context.breathe();
      if (pause) await pause;
    }
    if (s.queue.length > 0) {
      // Stopped, or --duration is up: what is left is not run. Dropped: all of it when stopped; at
      // the duration, the statements already due (the run fell behind its schedule) — at --speed
      // max nothing is due at a time.
      for (const p of s.queue) if (context.stopped || p.intended !== undefined) context.drop();
      this.queued -= s.queue.length;
      s.queue.length = 0;
    }
  }

  #schedule(s: Session): void {
    if (s.idle !== undefined) clearTimeout(s.idle);
    s.idle = undefined;
    if (s.running !== undefined) return;
    s.running = this.#run(s).finally(() => {
      s.running = undefined;
      if (s.queue.length > 0) this.#schedule(s);
      // A session idle for a while disconnects (logs rarely record disconnections, and a long
      // trace has more sessions over time than a server takes connections); it reconnects if
      // the trace has more for it. Idle on the clock here; in the trace's time as it is read (at
      // --speed max the clock hardly moves between one session's statements and the next's).
      else if (s.connection !== undefined) {
        // Others wait for a connection: give this one up now, as a pool would an idle connection
        // (waiting for its idle time let the reader, read ahead, stall on twenty sessions a
        // timer's two seconds).
        if (this.#limit.pendingCount > 0) this.#retire(s);
        else s.idle = setTimeout(() => this.#retire(s), IDLE_CLOSE_MS);
      }
    });
  }

  /**
   * Every connection is taken — the cap, or the server's limit — and a session needs one: the
   * session idle longest (connected, with nothing to run) disconnects now rather than at its idle
   * time, as a pool would close an idle connection — else a log with more sessions going at once
   * than the limit stalls on idle ones.
   */
  #retireLongestIdle(): void {
    let looked = 0;
    for (const s of this.#sessions.values()) {
      if (s.connection !== undefined && s.running === undefined && s.queue.length === 0) return this.#retire(s);
      if (++looked === 64) return;
    }
  }

  /** Retires the sessions whose latest statement is an idle time behind `ts` and that have nothing left to run. */
  #retireIdle(ts: number): void {
    let busy = 0;
    for (const s of this.#sessions.values()) {
      if (ts - s.lastTs < IDLE_CLOSE_US) return;
      if (s.running === undefined && s.queue.length === 0) this.#retire(s);
      else {
        // Busy this long after its latest statement (a long statement, a lock wait, connecting):
        // to the back, so it does not hold up the idle ones behind it.
        if (++busy > 8) return;
        this.#sessions.delete(s.id);
        this.#sessions.set(s.id, s);
      }
    }
  }
}
