import type { Repository } from '@sqltrace/core';

export interface RepositoryContractOptions {
  readonly name: string;
  /** A repository on an empty, migrated store; closed by the suite. */
  readonly open: () => Promise<Repository>;
}

/** A status-of-a-run summary, as the API keeps it. */
const RESULTS = { throughput: 1234.5, errors: 0, p99Ms: 3.25, classes: { '40': 1 } };

/**
 * What every repository store must do, the same on SQLite and PostgreSQL: records come back as
 * they were stored (JSON included, optional fields absent rather than null), lists are newest
 * first and page, references to missing records and stored passwords are refused, jobs left
 * running by a dead server are failed with the reason, tokens are found by hash only.
 */
export function describeRepositoryContract(o: RepositoryContractOptions): void {
  describe(`${o.name} repository contract`, () => {
    let repo: Repository;
    beforeEach(async () => {
      repo = await o.open();
    });
    afterEach(async () => {
      await repo.close();
    });

    it("keeps a trace, its parse summary and template statistics, and a generated trace's lineage", async () => {
      const trace = await repo.createTrace({ name: 'pgbench.log', origin: 'uploaded' });
      expect(trace).toEqual({ id: expect.stringMatching(/^tr_[0-9a-f]{20}$/), name: 'pgbench.log', origin: 'uploaded', createdAt: expect.any(String) });
      expect(Date.parse(trace.createdAt)).toBeGreaterThan(Date.now() - 60_000);
      const summary = { formats: ['postgres-stderr'], warnings: ['12 lines without a session'], rejected: 0, nested: { ok: true, n: null } };
      const parsed = await repo.updateTrace(trace.id, { blob: `traces/${trace.id}/trace.jsonl`, events: 428_510, sessions: 8, summary });
      expect(parsed).toEqual({ ...trace, blob: `traces/${trace.id}/trace.jsonl`, events: 428_510, sessions: 8, summary });
      expect(await repo.getTrace(trace.id)).toEqual(parsed);

      await repo.setTemplates(trace.id, [
        { templateId: 'a', sql: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1', kind: 'select', count: 10 },
        { templateId: 'b', sql: 'UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', kind: 'update', count: 30, totalUs: 1_234.5 },
        { templateId: 'c', sql: 'BEGIN', count: 20 },
      ]);
      expect((await repo.templates(trace.id)).map((t) => [t.templateId, t.count])).toEqual([
        ['b', 30],
        ['c', 20],
        ['a', 10],
      ]);
      expect(await repo.templates(trace.id, { limit: 1 })).toEqual([
        { templateId: 'b', sql: 'UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', kind: 'update', count: 30, totalUs: 1_234.5 },
      ]);
      // Replaced, not appended.
      await repo.setTemplates(trace.id, [{ templateId: 'z', sql: 'COMMIT', count: 1 }]);
      expect(await repo.templates(trace.id)).toEqual([{ templateId: 'z', sql: 'COMMIT', count: 1 }]);

      const model = await repo.createModel({ traceId: trace.id, strategy: 'markov', blob: `models/m.json`, settings: { order: 2 }, summary: { templates: 3 } });
      expect(model).toMatchObject({
        id: expect.stringMatching(/^md_/),
        traceId: trace.id,
        strategy: 'markov',
        settings: { order: 2 },
        summary: { templates: 3 },
      });
      const generated = await repo.createTrace({
        name: 'synthetic',
        origin: 'generated',
        lineage: { modelId: model.id, settings: { seed: 'x', events: 1_000 } },
      });
      expect((await repo.getTrace(generated.id))!.lineage).toEqual({ modelId: model.id, settings: { seed: 'x', events: 1_000 } });
      expect((await repo.listModels({ traceId: trace.id })).map((m) => m.id)).toEqual([model.id]);
      expect(await repo.listModels({ traceId: generated.id })).toEqual([]);
    });

    it('refuses records that name a trace or model that does not exist, and updates of missing records, as not found', async () => {
      await expect(repo.createModel({ traceId: 'tr_missing', strategy: 'markov', blob: 'm' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      await expect(repo.createTrace({ name: 'x', origin: 'generated', lineage: { modelId: 'md_missing', settings: {} } })).rejects.toMatchObject({
        code: 'E_NOT_FOUND',
      });
      await expect(repo.createBenchmark({ traceId: 'tr_missing', driver: 'sqlite', target: 'sqlite::memory:', settings: {} })).rejects.toMatchObject({
        code: 'E_NOT_FOUND',
      });
      await expect(repo.updateTrace('tr_missing', { events: 1 })).rejects.toMatchObject({
        code: 'E_NOT_FOUND',
        message: expect.stringContaining('tr_missing'),
      });
      await expect(repo.updateJob('jb_missing', { state: 'running' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      await expect(repo.setTemplates('tr_missing', [])).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      expect(await repo.getTrace('tr_missing')).toBeUndefined();
      expect(await repo.getModel('md_missing')).toBeUndefined();
      expect(await repo.getValidation('va_missing')).toBeUndefined();
      expect(await repo.getBenchmark('bm_missing')).toBeUndefined();
      expect(await repo.getJob('jb_missing')).toBeUndefined();
    });

    it('lists newest first, a page at a time', async () => {
      const made = [];
      for (let i = 0; i < 7; i++) made.push((await repo.createTrace({ name: `t${i}`, origin: 'uploaded' })).id);
      const first = await repo.listTraces({ limit: 3 });
      expect(first.map((t) => t.name)).toEqual(['t6', 't5', 't4']);
      const second = await repo.listTraces({ limit: 3, before: first[2]!.id });
      expect(second.map((t) => t.name)).toEqual(['t3', 't2', 't1']);
      const last = await repo.listTraces({ limit: 3, before: second[2]!.id });
      expect(last.map((t) => t.name)).toEqual(['t0']);
      expect((await repo.listTraces()).length).toBe(7);
      await expect(repo.listTraces({ limit: 0 })).rejects.toMatchObject({ code: 'E_USAGE' });
    });

    it("keeps validations and benchmark runs, and never a target's password", async () => {
      const a = await repo.createTrace({ name: 'a', origin: 'uploaded' });
      const b = await repo.createTrace({ name: 'b', origin: 'uploaded' });
      const validation = await repo.createValidation({
        originalId: a.id,
        syntheticId: b.id,
        passed: false,
        score: 0.732,
        reportBlob: 'reports/r.json',
        htmlBlob: 'reports/r.html',
      });
      expect(await repo.getValidation(validation.id)).toEqual({
        id: expect.stringMatching(/^va_/),
        originalId: a.id,
        syntheticId: b.id,
        passed: false,
        score: 0.732,
        reportBlob: 'reports/r.json',
        htmlBlob: 'reports/r.html',
        createdAt: validation.createdAt,
      });
      expect((await repo.createValidation({ originalId: a.id, syntheticId: a.id, passed: true, score: 1, reportBlob: 'x' })).passed).toBe(true);
      expect((await repo.listValidations()).map((v) => v.passed)).toEqual([true, false]);

      // Every form a password takes in a connection string, the awkward ones too.
      for (const target of [
        'postgres://app:s3cret@db:5432/x',
        'postgres://app:pa/ss@word@db/x',
        'postgres://db/x?password=s3cret',
        'host=db user=app password=s3cret',
      ]) {
        await expect(repo.createBenchmark({ traceId: a.id, driver: 'postgres', target, settings: {} })).rejects.toMatchObject({ code: 'E_USAGE' });
      }
      const run = await repo.createBenchmark({ traceId: a.id, driver: 'postgres', target: 'postgres://app@db:5432/x', settings: { mode: 'replay', speed: 2 } });
      expect(run.resultsBlob).toBeUndefined();
      const done = await repo.updateBenchmark(run.id, { resultsBlob: `benchmarks/${run.id}.json`, summary: RESULTS });
      expect(done).toEqual({ ...run, resultsBlob: `benchmarks/${run.id}.json`, summary: RESULTS });
      expect((await repo.listBenchmarks({ traceId: a.id })).map((r) => r.id)).toEqual([run.id]);
      expect(await repo.listBenchmarks({ traceId: b.id })).toEqual([]);
    });

    it('runs jobs through their states; a restart fails those left running, with the reason, and keeps the queued', async () => {
      const queued = await repo.createJob({ kind: 'parse', input: { traceId: 'tr_1' } });
      expect(queued).toEqual({ id: expect.stringMatching(/^jb_/), kind: 'parse', state: 'queued', input: { traceId: 'tr_1' }, createdAt: expect.any(String) });
      const running = await repo.createJob({ kind: 'benchmark', input: {} });
      const startedAt = new Date().toISOString();
      await repo.updateJob(running.id, { state: 'running', startedAt, progress: { phase: 'replay', done: 10, total: 100 } });
      const finished = await repo.createJob({ kind: 'train', input: {} });
      await repo.updateJob(finished.id, { state: 'succeeded', result: { modelId: 'md_1' }, finishedAt: new Date().toISOString() });

      expect(await repo.failRunningJobs('the server restarted while this job ran')).toBe(1);
      const failed = (await repo.getJob(running.id))!;
      expect(failed).toMatchObject({ state: 'failed', error: 'the server restarted while this job ran', progress: { phase: 'replay', done: 10, total: 100 } });
      expect(Date.parse(failed.startedAt!)).toBe(Date.parse(startedAt));
      expect(failed.finishedAt).toEqual(expect.any(String));
      expect((await repo.getJob(queued.id))!.state).toBe('queued');
      expect((await repo.getJob(finished.id))!).toMatchObject({ state: 'succeeded', result: { modelId: 'md_1' } });
      expect((await repo.listJobs({ state: 'queued' })).map((j) => j.id)).toEqual([queued.id]);
      expect(await repo.failRunningJobs('again')).toBe(0);
    });

    it('finds a token by its hash only, records its use, and forgets it when revoked', async () => {
      const token = await repo.createToken({ name: 'ci', hash: 'sha256:aa11' });
      expect(token).toEqual({ id: expect.stringMatching(/^tk_/), name: 'ci', hash: 'sha256:aa11', createdAt: expect.any(String) });
      expect(await repo.useToken('sha256:bb22')).toBeUndefined();
      const used = await repo.useToken('sha256:aa11');
      expect(used).toMatchObject({ id: token.id, lastUsedAt: expect.any(String) });
      await expect(repo.createToken({ name: 'dup', hash: 'sha256:aa11' })).rejects.toThrow();
      expect((await repo.listTokens()).map((t) => t.name)).toEqual(['ci']);
      expect(await repo.revokeToken(token.id)).toBe(true);
      expect(await repo.revokeToken(token.id)).toBe(false);
      expect(await repo.useToken('sha256:aa11')).toBeUndefined();
    });

    it('serves many requests at once: every record made, none lost or mixed up', async () => {
      const trace = await repo.createTrace({ name: 'busy', origin: 'uploaded' });
      const jobs = await Promise.all(Array.from({ length: 40 }, (_, i) => repo.createJob({ kind: 'parse', input: { i } })));
      await Promise.all([
        ...jobs.map((j, i) => repo.updateJob(j.id, { state: 'running', progress: { i } })),
        repo.setTemplates(
          trace.id,
          Array.from({ length: 50 }, (_, i) => ({ templateId: `t${i}`, sql: `SELECT ${i}`, count: i + 1 })),
        ),
      ]);
      expect(new Set(jobs.map((j) => j.id)).size).toBe(40);
      const stored = await Promise.all(jobs.map((j) => repo.getJob(j.id)));
      expect(stored.map((j) => [j!.state, j!.progress, j!.input])).toEqual(jobs.map((_, i) => ['running', { i }, { i }]));
      expect((await repo.templates(trace.id, { limit: 1000 })).length).toBe(50);
      await repo.ping();
    });
  });
}
