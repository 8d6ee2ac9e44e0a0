import type { Hook } from '@oclif/core';

/** Edits (insert, delete, substitute, swap two neighbours) to turn `a` into `b`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/**
 * `stb valdate` → "valdate is not a stb command. Did you mean validate?", on a terminal or not (a
 * script's log shows the fix too), and exit 127 as oclif does for an unknown command.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const ids = options.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  // `stb bnech trace.jsonl` arrives as id "bnech:trace.jsonl": the first word is the command typed.
  const word = options.id.split(':')[0]!;
  const prefixed = word.length >= 3 ? ids.find((id) => id.startsWith(word)) : undefined;
  const best = ids.map((id) => ({ id, d: Math.min(distance(options.id, id), distance(word, id)) })).sort((a, b) => a.d - b.d)[0];
  const near = prefixed ?? (best !== undefined && best.d <= Math.max(2, Math.floor(best.id.length / 3)) ? best.id : undefined);
  const suggestion = near !== undefined ? ` Did you mean ${near.replaceAll(':', ' ')}?` : '';
  this.error(`${word} is not a ${options.config.bin} command.${suggestion} Run ${options.config.bin} help for the list.`, { exit: 127 });
};

export default hook;
