import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Nothing lost, leaked or dangerously replayed: each defect of issue 19, through the built
 * binary as a user meets it.
 */
const BIN = join(__dirname, '..', 'bin', 'run.js');
const LOG = join(__dirname, '..', 'assets', 'demo', 'shop-postgres.log');
const root = mkdtempSync(join(tmpdir(), 'stb-reliability-'));
let n = 0;

function stb(args: string[], options: { input?: string | Buffer; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: options.input,
    cwd: options.cwd ?? root,
    env: { ...process.env, FORCE_COLOR: '0' },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh directory holding a copy of the demo log as pg.log. */
function workdir(): string {
  const dir = join(root, `w${n++}`);
  mkdirSync(dir);
  copyFileSync(LOG, join(dir, 'pg.log'));
  return dir;
}

/** Files an interrupted or failed command might have left (temporary outputs included). */
function leftovers(dir: string, expected: string[]): string[] {
  return readdirSync(dir).filter((f) => !expected.includes(f));
}

function jsonl(events: object[], header: object = { version: 1, dialect: 'postgres' }): string {
  return [JSON.stringify({ $trace: header }), ...events.map((e) => JSON.stringify(e))].join('\n') + '\n';
}

describe('outputs are whole or not written at all', () => {
  it('refuses to write the output over an input (parse -o the log, generate -o the model)', () => {
    const dir = workdir();
    const before = readFileSync(join(dir, 'pg.log'));
    const r = stb(['parse', 'pg.log', '-o', 'pg.log'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pg\.log is also an input/);
    expect(readFileSync(join(dir, 'pg.log'))).toEqual(before);
    expect(stb(['parse', 'pg.log', '-o', 't.jsonl'], { cwd: dir }).code).toBe(0);
    expect(stb(['train', 't.jsonl', '-o', 'm.json'], { cwd: dir }).code).toBe(0);
    const model = readFileSync(join(dir, 'm.json'));
    const g = stb(['generate', 'm.json', '-o', 'm.json'], { cwd: dir });
    expect(g.code).toBe(2);
    expect(readFileSync(join(dir, 'm.json'))).toEqual(model);
    expect(stb(['train', 't.jsonl', '-o', 't.jsonl'], { cwd: dir }).code).toBe(2);
  });

  it('leaves the previous trace untouched when a parse fails: wrong format, a missing second input, a truncated .gz', () => {
    const dir = workdir();
    expect(stb(['parse', 'pg.log', '-o', 'good.jsonl'], { cwd: dir }).code).toBe(0);
    const good = readFileSync(join(dir, 'good.jsonl'));
    expect(stb(['parse', 'pg.log', '-f', 'mysql-general', '-o', 'good.jsonl'], { cwd: dir }).code).toBe(2);
    expect(readFileSync(join(dir, 'good.jsonl'))).toEqual(good);
    const missing = stb(['parse', 'pg.log', 'missing.log', '-o', 'good.jsonl'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing\.log: no such file/);
    expect(readFileSync(join(dir, 'good.jsonl'))).toEqual(good);
    const gz = gzipSync(readFileSync(join(dir, 'pg.log')));
    writeFileSync(join(dir, 'cut.log.gz'), gz.subarray(0, gz.length - 200));
    const cut = stb(['parse', 'cut.log.gz', '-o', 'cut.jsonl'], { cwd: dir });
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/truncated or corrupt/);
    expect(leftovers(dir, ['pg.log', 'good.jsonl', 'cut.log.gz'])).toEqual([]);
  });

  it('stops on Ctrl-C with no partial trace and no temporary file left', async () => {
    const dir = workdir();
    const child = spawn(process.execPath, [BIN, 'parse', '-', '-o', 'live.jsonl'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = readFileSync(join(dir, 'pg.log'), 'utf8');
    // What the parse has not read when it stops cannot be written to it (EPIPE): expected here.
    child.stdin.on('error', () => undefined);
    child.stdin.write(lines); // stdin stays open: the parse is still running
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(readdirSync(dir).some((f) => f.includes('live.jsonl'))).toBe(true); // being written, under a temporary name
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/stopped by SIGINT/);
    expect(leftovers(dir, ['pg.log'])).toEqual([]);
  });

  it('reports an output directory that is missing, or an output that is a directory, before any work, with no stack trace', () => {
    const dir = workdir();
    for (const [args, message] of [
      [['parse', 'pg.log', '-o', 'nowhere/t.jsonl'], /nowhere\/t\.jsonl: cannot write there \(directory .*nowhere does not exist\)/],
      [['parse', 'pg.log', '-o', '.'], /\. is a directory/],
      [['bench', 'pg.log', '-o', '/nonexistent/r.json'], /\/nonexistent\/r\.json: cannot write there/],
    ] as const) {
      const started = Date.now();
      const r = stb([...args], { cwd: dir });
      expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(message)]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('keeps stdout for the trace with -o - and --json: the summary goes to stderr', () => {
    const dir = workdir();
    const r = stb(['parse', 'pg.log', '-o', '-', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].$trace).toBeDefined();
    expect(lines).toHaveLength(1_501);
    expect(JSON.parse(r.stderr)).toMatchObject({ output: '-', events: 1_500 });
  });
});

describe('limits with messages instead of crashes', () => {
  it('counts a line over the length limit as skipped (used + skipped = read), and says so when it is the only one', () => {
    const dir = workdir();
    const head = readFileSync(join(dir, 'pg.log'), 'utf8').split('\n').slice(0, 100).join('\n');
    writeFileSync(join(dir, 'long.log'), `${head}\n${'x'.repeat(33 * 1024 * 1024)}\n${head}\n`);
    const r = stb(['parse', 'long.log', '-o', 'long.jsonl', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const input = JSON.parse(r.stdout).inputs[0];
    expect(input.totalLines).toBe(201);
    expect(input.usedLines + input.skippedLines).toBe(201);
    expect(input.skipped).toContainEqual(expect.objectContaining({ lines: 1, firstLines: [101] }));
    writeFileSync(join(dir, 'one.log'), 'y'.repeat(33 * 1024 * 1024));
    const one = stb(['parse', 'one.log', '-o', 'one.jsonl'], { cwd: dir });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/one\.log: no line to read — its one line is longer than 33554432 characters/);
  });

  it('reads gzip on stdin', () => {
    const dir = workdir();
    const r = stb(['parse', '-', '-o', 'gz.jsonl', '--json'], { cwd: dir, input: gzipSync(readFileSync(join(dir, 'pg.log'))) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).events).toBe(1_500);
  });

  it('refuses --sessions beyond what memory holds', () => {
    const dir = workdir();
    stb(['parse', 'pg.log', '-o', 't.jsonl'], { cwd: dir });
    stb(['train', 't.jsonl', '-o', 'm.json'], { cwd: dir });
    const r = stb(['generate', 'm.json', '-o', 's.jsonl', '--sessions', '1000000000'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sessions 1000000000: at most 1,000,000 sessions can be open at once/);
    expect(existsSync(join(dir, 's.jsonl'))).toBe(false);
  });
});

describe('usage errors exit 2, in JSON under --json', () => {
  it("turns oclif's parse errors into one {error:{code,message,hint}}", () => {
    const r = stb(['parse', 'x.log', '--bogus', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBeLessThan(500);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'E_USAGE', message: 'Nonexistent flag: --bogus', hint: 'See: stb parse --help' } });
    const plain = stb(['bench', 'x.jsonl', '--mode', 'sideways']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^stb bench: error: Expected --mode=sideways to be one of: replay, closed, open/);
  });

  it('calls a busy or impossible --metrics-port a usage error, not a bug', async () => {
    const trace = join(root, 'tiny.jsonl');
    writeFileSync(trace, jsonl([{ ts: 1_700_000_000_000_000, session: 'a', sql: 'SELECT 1' }]));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const busy = stb(['bench', trace, '--metrics-port', String(port)]);
      expect([busy.code, busy.stderr]).toEqual([2, expect.stringMatching(new RegExp(`--metrics-port ${port}: the port is in use`))]);
    } finally {
      server.close();
    }
    for (const bad of ['70000', '-1']) {
      const r = stb(['bench', trace, `--metrics-port=${bad}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/bug in stb/);
    }
  });
});

describe('secrets stay out of output, messages and files', () => {
  it('redacts every form of connection-string password in messages and results', () => {
    const trace = join(root, 'one.jsonl');
    writeFileSync(trace, jsonl([{ ts: 1_700_000_000_000_000, session: 'a', sql: 'SELECT 1' }]));
    for (const [url, secret] of [
      // (Secrets with a `-`, which no base64 histogram in the results can hold by chance.)
      ['postgres://u:At@PW4-secret@127.0.0.1:1/test', 'PW4-secret'],
      ['postgres://u:Sl/ash-PG9-secret@127.0.0.1:1/test', 'ash-PG9-secret'],
      ['host=127.0.0.1 port=1 user=u password=Dsn-PW2-secret dbname=test', 'Dsn-PW2-secret'],
    ] as const) {
      const out = join(root, `secret-${secret.length}.json`);
      const r = stb(['bench', trace, '--driver', 'postgres', '--url', url, '-o', out, '--json']);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).not.toContain(secret);
      // (The results of a run that could not connect are written too: they must hold no secret either.)
      expect(readFileSync(out, 'utf8')).not.toContain(secret);
    }
  });

  it('keeps passwords out of the trace and literals out of the results (unless --keep-literals)', () => {
    const dir = workdir();
    // DML's values are bound parameters in the trace; other statements keep theirs inline.
    writeFileSync(
      join(dir, 'app.sql'),
      "ALTER USER bob WITH PASSWORD 'Hunter2Secret';\nCREATE TABLE t (a text);\nINSERT INTO t VALUES ('Customer Jane');\nCREATE VIEW v AS SELECT a, 'Customer Jane' AS who FROM t;\nSELECT * FROM t WHERE a = 'Customer Jane';\n",
    );
    expect(stb(['parse', 'app.sql', '-o', 'app.jsonl'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, 'app.jsonl'), 'utf8')).not.toContain('Hunter2Secret');
    const r = stb(['bench', 'app.jsonl', '--driver', 'sqlite', '--url', `sqlite:${join(dir, 'app.db')}`, '-o', 'r.json'], { cwd: dir });
    expect(r.code).toBe(0);
    const results = readFileSync(join(dir, 'r.json'), 'utf8');
    expect(results).not.toContain('Hunter2Secret');
    expect(results).not.toContain('Customer Jane');
    expect(JSON.parse(results).templates.map((t: { example: string }) => t.example)).toEqual(
      expect.arrayContaining(['SELECT * FROM t WHERE a = $1', 'CREATE VIEW v AS SELECT a, $1 AS who FROM t']),
    );
    const kept = stb(['bench', 'app.jsonl', '--driver', 'sqlite', '--url', `sqlite:${join(dir, 'app2.db')}`, '-o', 'k.json', '--keep-literals'], { cwd: dir });
    expect(kept.code).toBe(0);
    expect(readFileSync(join(dir, 'k.json'), 'utf8')).toContain('Customer Jane');
  });
});

describe('replay safety', () => {
  const events = [
    { ts: 1_700_000_000_000_000, session: 'a', sql: 'CREATE TABLE kept (id int)' },
    { ts: 1_700_000_000_001_000, session: 'a', sql: "SET GLOBAL slow_query_log_file = '/tmp/x.log'" },
    { ts: 1_700_000_000_002_000, session: 'a', sql: 'DROP TABLE kept' },
    { ts: 1_700_000_000_003_000, session: 'a', sql: 'SELECT count(*) FROM kept' },
  ];

  it('does not send administrative statements or destructive DDL, and counts and lists them', () => {
    const trace = join(root, 'unsafe.jsonl');
    writeFileSync(trace, jsonl(events));
    const db = join(root, 'safe.db');
    const r = stb(['bench', trace, '--driver', 'sqlite', '--url', `sqlite:${db}`, '-o', join(root, 'safe.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /REFUSED: 2 statements not sent \((admin ×1, destructive DDL ×1|destructive DDL ×1, admin ×1): .*SET GLOBAL.*DROP TABLE|.*DROP TABLE.*SET GLOBAL.*\) — send them with --allow/,
    );
    const results = JSON.parse(readFileSync(join(root, 'safe.json'), 'utf8'));
    expect(results).toMatchObject({ operations: 2, errors: 0, refused: { statements: 2, byEffect: { admin: 1, ddl: 1 } } });
  });

  it('sends destructive DDL when allowed (--allow ddl)', () => {
    const trace = join(root, 'unsafe.jsonl');
    const r = stb(['bench', trace, '--driver', 'sqlite', '--url', `sqlite:${join(root, 'allowed.db')}`, '--allow', 'ddl', '-o', join(root, 'allowed.json')]);
    const results = JSON.parse(readFileSync(join(root, 'allowed.json'), 'utf8'));
    // The table was dropped, so the SELECT after it failed.
    expect(results).toMatchObject({ operations: 3, errors: 1, refused: { statements: 1, byEffect: { admin: 1 }, allowed: ['ddl'] } });
    expect(r.code).toBe(0);
  });
});

describe('runs that cannot stand for the load fail', () => {
  const trace = join(root, 'steady.jsonl');
  beforeAll(() => {
    const events = Array.from({ length: 2_000 }, (_, i) => ({ ts: 1_700_000_000_000_000 + i * 10_000, session: `s${i % 4}`, sql: 'SELECT 1' }));
    writeFileSync(trace, jsonl(events));
  });

  it('holds an open loop on SQLite to its duration and counts what it dropped', () => {
    const started = Date.now();
    const r = stb(['bench', trace, '--mode', 'open', '--rate', '300000', '-d', '2s', '--json']);
    const elapsed = (Date.now() - started) / 1000;
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.dropped).toBeGreaterThan(0);
    expect(results.durationSeconds).toBeLessThan(2.5);
    expect(elapsed).toBeLessThan(8);
  });

  it('exits 1 for a run that measured nothing, and compare --fail-on fails it instead of calling it better', () => {
    const ok = join(root, 'ok.json');
    expect(stb(['bench', trace, '--speed', 'max', '-o', ok]).code).toBe(0);
    const empty = join(root, 'nothing.json');
    const r = stb(['bench', trace, '--mode', 'closed', '--warmup', '5s', '-d', '2s', '-o', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/measured no operation/);
    expect(stb(['bench', trace, '--mode', 'closed', '--warmup', '5s', '-d', '2s', '--accept-failed-run']).code).toBe(0);
    const gate = stb(['compare', ok, empty, '--fail-on', 'response-p99=10%', '--fail-on', 'errors=0']);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toMatch(/over budget: nothing: the run measured no operation/);
    expect(gate.stdout).not.toMatch(/better/);
  });

  it('on SIGINT stops, writes the results marked interrupted with the summary, and exits 130', async () => {
    const slow = join(root, 'slow.jsonl');
    writeFileSync(slow, jsonl(Array.from({ length: 600 }, (_, i) => ({ ts: 1_700_000_000_000_000 + i * 100_000, session: `s${i % 3}`, sql: 'SELECT 1' }))));
    const out = join(root, 'interrupted.json');
    const child = spawn(process.execPath, [BIN, 'bench', slow, '-o', out], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise((r) => setTimeout(r, 3_000));
    const signalled = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(6_000);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results.interrupted).toBe(true);
    expect(results.operations).toBeGreaterThan(5);
    expect(results.operations).toBeLessThan(600);
    expect(stdout).toMatch(/INTERRUPTED/);
    expect(statSync(out).size).toBeGreaterThan(0);
  });
});
