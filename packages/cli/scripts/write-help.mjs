// Writes dist/help.json: the help oclif prints for the root and for every command and topic,
// rendered once at build time by oclif's own Help class at 80 columns without colour, so that
// bin/run.js can answer `stb help [COMMAND]`, `stb [COMMAND] --help` and `stb` without loading
// oclif (a fifth of a second here). Anything else, or a help it does not hold, goes to oclif.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// oclif reads the width when it loads: set it first (the help is rendered for a terminal of 80 columns or a pipe).
process.env.OCLIF_COLUMNS = '80';
// …and without colour, even when the build runs on a terminal (Nx gives its tasks one): oclif decides
// a flag's layout from its coloured label's length, so colour would change the text, not only its look.
process.env.FORCE_COLOR = '0';
const { Config, loadHelpClass } = await import('@oclif/core');
const config = await Config.load(root);
const Help = await loadHelpClass(config);

/** Renders the help for argv (`[]` for the root) as oclif writes it, capturing console.log. */
async function render(argv) {
  const lines = [];
  const log = console.log;
  console.log = (...args) => lines.push(args.map(String).join(' '));
  try {
    await new Help(config, { stripAnsi: true }).showHelp(argv);
  } finally {
    console.log = log;
  }
  // The VERSION line names this machine's platform and Node.js: bin/run.js writes the user's.
  return lines
    .map((line) => line + '\n')
    .join('')
    .replaceAll(config.userAgent, USER_AGENT);
}

const USER_AGENT = '{{userAgent}}';
const texts = { '': await render([]) };
const ids = [...config.commands.filter((c) => !c.hidden).map((c) => c.id), ...config.topics.filter((t) => !t.hidden).map((t) => t.name)];
for (const id of new Set(ids)) texts[id.split(':').join(' ')] = await render(id.split(':'));
if (!texts[''].includes(USER_AGENT)) throw new Error(`the root help no longer shows ${config.userAgent}: bin/run.js must fill it in another way`);
if (!texts.bench?.includes('USAGE')) throw new Error('oclif rendered no help for bench: build the commands first');
writeFileSync(join(root, 'dist', 'help.json'), JSON.stringify(texts) + '\n');
console.log(`dist/help.json: help for ${Object.keys(texts).length - 1} commands and topics`);
