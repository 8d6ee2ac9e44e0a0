/**
 * A one-line progress display on stderr, redrawn at most every 200 ms — only when stderr is a
 * terminal, so logs and pipes never see it.
 */
export class ProgressLine {
  readonly #enabled: boolean;
  #last = 0;
  #shown = false;

  constructor(enabled = process.stderr.isTTY === true) {
    this.#enabled = enabled;
  }

  /** Whether it draws at all (stderr is a terminal). */
  get enabled(): boolean {
    return this.#enabled;
  }

  update(render: () => string): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (now - this.#last < 200) return;
    this.#last = now;
    const text = render();
    const width = terminalWidth();
    process.stderr.write(`\r${text.slice(0, width - 1).padEnd(Math.min(width - 1, this.#shown ? width - 1 : text.length))}`);
    this.#shown = true;
  }

  /** Replaces the line with a finished one that stays on screen (a TTY only). */
  persist(render: () => string): void {
    if (!this.#enabled) return;
    this.clear();
    process.stderr.write(`${render()}\n`);
    this.#last = 0;
  }

  clear(): void {
    if (this.#enabled && this.#shown) process.stderr.write(`\r${' '.repeat(terminalWidth() - 1)}\r`);
    this.#shown = false;
  }
}

/** The terminal's width; 100 when it does not say (0 or undefined, as under `script` or some CI runners). */
function terminalWidth(): number {
  const columns = process.stderr.columns;
  return columns !== undefined && columns > 1 ? columns : 100;
}
