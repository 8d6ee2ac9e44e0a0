import { Command } from '@oclif/core';
import { isStbError } from '@sqltrace/core';

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/**
 * The base of every `stb` command: `--json` comes from oclif; errors from our libraries become
 * one line (what, where, what to do) and exit code 2, never a stack trace.
 */
export abstract class StbCommand<T> extends Command {
  static override enableJsonFlag = true;

  abstract override run(): Promise<T>;

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error.oclif?.exit !== undefined && !isStbError(error)) {
      // oclif's own errors (unknown flag, missing argument, this.exit) keep their handling.
      if (error.oclif.exit === 0) return;
      return super.catch(error);
    }
    const stb = isStbError(error);
    const code = stb ? error.code : 'E_INTERNAL';
    const message = stb ? error.message : error.message || String(error);
    const hint = stb ? error.hint : 'This is a bug in stb: please report it with the command you ran';
    if (this.jsonEnabled()) {
      this.logJson({ error: { code, message, ...(hint ? { hint } : {}) } });
    } else {
      process.stderr.write(`stb ${this.id ?? ''}: error: ${message}${hint ? `\n  ${hint}` : ''}\n`);
      if (!stb && process.env.STB_DEBUG) process.stderr.write(`${error.stack}\n`);
    }
    return this.exit(stb ? EXIT.badInput : EXIT.failed);
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
