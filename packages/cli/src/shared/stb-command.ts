import { Command } from '@oclif/core';
import { isStbError, redactSecrets, removeTemporaryOutputs } from '@sqltrace/core';

/** Exit codes shared by every command (130 and 143: stopped by SIGINT and SIGTERM). */
export const EXIT = { ok: 0, failed: 1, badInput: 2, interrupted: 130, terminated: 143 } as const;

/** The exit code of a command stopped by `signal`. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/**
 * The base of every `stb` command: `--json` comes from oclif; errors from our libraries become
 * one line (what, where, what to do) and exit code 2, never a stack trace.
 */
export abstract class StbCommand<T> extends Command {
  static override enableJsonFlag = true;

  abstract override run(): Promise<T>;

  /**
   * What the first SIGINT/SIGTERM does: by default the command stops at once, leaving no partial
   * output (files are written under a temporary name until they are complete). A command that
   * can stop cleanly (stb bench writes what it measured) sets this; a second signal always
   * stops at once.
   */
  protected onInterrupt: ((signal: NodeJS.Signals) => void) | undefined;
  #signals = 0;

  override async init(): Promise<void> {
    await super.init();
    const handle = (signal: NodeJS.Signals) => {
      if (++this.#signals === 1 && this.onInterrupt !== undefined) {
        this.onInterrupt(signal);
        return;
      }
      removeTemporaryOutputs();
      process.stderr.write(`\nstb ${this.id ?? ''}: stopped by ${signal}\n`);
      process.exit(signalExitCode(signal));
    };
    process.on('SIGINT', handle);
    process.on('SIGTERM', handle);
    // `stb parse log -o - | head`: the reader has what it wanted; stop quietly, as Unix tools do.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      removeTemporaryOutputs();
      process.exit(0);
    });
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<undefined> {
    if (error.oclif?.exit !== undefined && !isStbError(error)) {
      if (error.oclif.exit === 0) return undefined;
      // this.exit(n): the command has already said what it had to.
      if ((error as { code?: string }).code === 'EEXIT') throw error;
      // oclif's parse errors (unknown flag, missing argument, a value not among the options): a
      // usage error like any other — one line, or {error} under --json, and exit 2.
      const message = redactSecrets(
        error.message
          .split('\n')
          .filter((line) => !/^\s*See more help with/.test(line))
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
      return this.#report('E_USAGE', message, `See: stb ${this.id ?? ''} --help`, EXIT.badInput);
    }
    const stb = isStbError(error);
    // Messages may quote a connection string (a driver's, the user's): never its password.
    const message = redactSecrets(stb ? error.message : error.message || String(error));
    const hint = stb ? (error.hint !== undefined ? redactSecrets(error.hint) : undefined) : 'This is a bug in stb: please report it with the command you ran';
    if (!stb && process.env.STB_DEBUG && !this.jsonEnabled()) process.stderr.write(`${redactSecrets(error.stack ?? '')}\n`);
    return this.#report(stb ? error.code : 'E_INTERNAL', message, hint, stb ? EXIT.badInput : EXIT.failed);
  }

  #report(code: string, message: string, hint: string | undefined, exit: number): never {
    if (this.jsonEnabled()) this.logJson({ error: { code, message, ...(hint ? { hint } : {}) } });
    else process.stderr.write(`stb ${this.id ?? ''}: error: ${message}${hint ? `\n  ${hint}` : ''}\n`);
    return this.exit(exit);
  }

  /** True when the command writes its data to stdout (`-o -`): JSON summaries and errors then go to stderr. */
  protected stdoutIsData = false;

  override logJson(json: unknown): void {
    if (this.stdoutIsData) process.stderr.write(`${JSON.stringify(json, null, 2)}\n`);
    else super.logJson(json);
  }

  /** Human output: suppressed under --json. */
  protected say(text = ''): void {
    if (!this.jsonEnabled()) this.log(text);
  }

  /** Warnings go to stderr so they never mix with machine output. */
  protected warnLine(text: string): void {
    process.stderr.write(`warning: ${text}\n`);
  }
}
