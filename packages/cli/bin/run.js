#!/usr/bin/env node
// `stb --version` and the help answer without loading oclif (a fifth of a second here): the same
// text oclif prints. The help was rendered by oclif at build time (scripts/write-help.mjs, 80
// columns, no colour); it is used when the output is a pipe or a terminal at least 80 columns
// wide and OCLIF_COLUMNS does not ask for another width. Everything else goes to oclif.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);

function userAgent() {
  const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return `${name}/${version} ${process.platform}-${process.arch} node-${process.version}`;
}

/** The command or topic whose help argv asks for (`''`: the root), or undefined when it asks for something else. */
function helpSubject() {
  const words = (list) => list.every((arg) => /^[a-z][a-z0-9-]*$/.test(arg));
  if (argv.length === 0) return '';
  if (argv[0] === 'help' && words(argv.slice(1))) return argv.slice(1).join(' ');
  const last = argv[argv.length - 1];
  if ((last === '--help' || last === '-h') && words(argv.slice(0, -1))) return argv.slice(0, -1).join(' ');
  return undefined;
}

function prerenderedHelp() {
  if (process.env.OCLIF_COLUMNS !== undefined || (process.stdout.isTTY && process.stdout.columns < 80)) return undefined;
  const subject = helpSubject();
  if (subject === undefined) return undefined;
  try {
    const texts = JSON.parse(readFileSync(new URL('../dist/help.json', import.meta.url), 'utf8'));
    return Object.hasOwn(texts, subject) ? texts[subject].replaceAll('{{userAgent}}', userAgent()) : undefined;
  } catch {
    return undefined; // not built (a checkout before its build): oclif renders it
  }
}

const help = prerenderedHelp();
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${userAgent()}\n`);
} else if (help !== undefined) {
  process.stdout.write(help);
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
