import { text } from 'node:stream/consumers';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BenchmarkService } from '@sqltrace/app';
import { containsSecret, redactSecrets, type JsonObject } from '@sqltrace/core';
import { ApiError } from '../http/api-error';
import { Accepted, Benchmark, IdParams, Page } from '../http/schemas';
import type { RouteContext } from './route-context';

const BenchBody = Type.Object({
  traceId: Type.String(),
  driver: Type.Optional(Type.String({ description: "sqlite, postgres, mysql (with url or the driver's default target)" })),
  target: Type.Optional(Type.String({ description: "A target named in the server's configuration (its URL and password stay there)" })),
  url: Type.Optional(Type.String({ description: 'A target URL without a password (one with a password is refused: name a target instead)' })),
  mode: Type.Union([Type.Literal('replay'), Type.Literal('closed'), Type.Literal('open')], { default: 'replay' }),
  speed: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Literal('max')])),
  durationSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  concurrency: Type.Optional(Type.Integer({ minimum: 1 })),
  rate: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  setup: Type.Optional(Type.Array(Type.String(), { maxItems: 10_000, description: 'Statements run first, one at a time (schema, data)' })),
});

/** Benchmarks: run a trace against a target (a job), read a run and its results, compare runs. */
export function benchmarkRoutes({ repository, blobs, jobs, targets }: RouteContext): FastifyPluginAsyncTypebox {
  const service = new BenchmarkService();
  return async (app) => {
    app.post(
      '/v1/benchmarks',
      { schema: { body: BenchBody, response: { 202: Type.Intersect([Accepted, Type.Object({ benchmark: Benchmark })]) } } },
      async (request, reply) => {
        const { traceId, target, url, driver: asked, setup, ...settings } = request.body;
        if ((await repository.getTrace(traceId)) === undefined) throw new ApiError(404, 'E_NOT_FOUND', `trace ${traceId}: no such trace`);
        if (url !== undefined && containsSecret(url))
          throw new ApiError(
            400,
            'E_USAGE',
            'a target URL with a password is not accepted',
            'Name a target configured on the server (its password stays there)',
          );
        let driver: string;
        let shown: string;
        if (target !== undefined) {
          const named = targets[target];
          if (named === undefined)
            throw new ApiError(400, 'E_USAGE', `no target named ${target}`, `Configured targets: ${Object.keys(targets).join(', ') || 'none'}`);
          driver = named.driver;
          shown = `${target} (${redactSecrets(named.url)})`;
        } else {
          driver = asked ?? 'sqlite';
          shown = url ?? service.defaultUrl(driver);
        }
        const benchmark = await repository.createBenchmark({ traceId, driver, target: redactSecrets(shown), settings: settings as JsonObject });
        // The setup statements (a schema: up to 10,000 of them) go to the blob store; the job row
        // names them — a row read on every poll of the job stays small.
        const setupBlob = `benchmarks/${benchmark.id}/setup.json`;
        if (setup !== undefined) await blobs.put(setupBlob, JSON.stringify(setup));
        const job = await jobs.submit('benchmark', {
          benchmarkId: benchmark.id,
          traceId,
          driver,
          ...(target !== undefined ? { target } : url !== undefined ? { url } : {}),
          settings: settings as JsonObject,
          ...(setup !== undefined ? { setupBlob, setupStatements: setup.length } : {}),
        });
        return reply.code(202).send({ benchmark, job: { id: job.id, state: job.state } });
      },
    );

    app.get(
      '/v1/benchmarks',
      {
        schema: {
          querystring: Type.Intersect([Page, Type.Object({ traceId: Type.Optional(Type.String()) })]),
          response: { 200: Type.Object({ benchmarks: Type.Array(Benchmark) }) },
        },
      },
      async (request) => ({ benchmarks: await repository.listBenchmarks(request.query) }),
    );

    app.get(
      '/v1/benchmarks/compare',
      {
        schema: {
          querystring: Type.Object({
            ids: Type.String({ description: 'Comma-separated run ids, the baseline first' }),
            failOn: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
          }),
          response: { 200: Type.Object({ table: Type.String(), passed: Type.Boolean(), violations: Type.Array(Type.Record(Type.String(), Type.Unknown())) }) },
        },
      },
      async (request) => {
        const ids = request.query.ids
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const runs = [];
        for (const id of ids) {
          const run = await repository.getBenchmark(id);
          if (run === undefined) throw new ApiError(404, 'E_NOT_FOUND', `benchmark ${id}: no such run`);
          if (run.resultsBlob === undefined) throw new ApiError(409, 'E_NOT_READY', `benchmark ${id} has no results yet`);
          runs.push({ name: id, results: service.readResults(await text(await blobs.get(run.resultsBlob)), id) });
        }
        const failOn = request.query.failOn === undefined ? [] : ([] as string[]).concat(request.query.failOn);
        const { table, violations } = service.compare(runs, failOn);
        return { table, passed: violations.length === 0, violations: violations as unknown as Record<string, unknown>[] };
      },
    );

    app.get('/v1/benchmarks/:id', { schema: { params: IdParams, response: { 200: Benchmark } } }, async (request) => {
      const run = await repository.getBenchmark(request.params.id);
      if (run === undefined) throw new ApiError(404, 'E_NOT_FOUND', `benchmark ${request.params.id}: no such run`);
      return run;
    });

    app.get(
      '/v1/benchmarks/:id/results',
      { schema: { params: IdParams, description: 'The results file (sqltrace-bench-results).' } },
      async (request, reply) => {
        const run = await repository.getBenchmark(request.params.id);
        if (run === undefined) throw new ApiError(404, 'E_NOT_FOUND', `benchmark ${request.params.id}: no such run`);
        if (run.resultsBlob === undefined) throw new ApiError(409, 'E_NOT_READY', `benchmark ${run.id} has no results yet`);
        return reply.type('application/json').send(await blobs.get(run.resultsBlob));
      },
    );
  };
}
