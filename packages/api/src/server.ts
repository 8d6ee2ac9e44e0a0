import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { BlobStore, Repository } from '@sqltrace/core';
import { authenticate } from './auth/api-tokens';
import { errorReply } from './http/api-error';
import { ErrorReply } from './http/schemas';
import { ServerMetrics } from './http/server-metrics';
import { JobRunner } from './jobs/job-runner';
import { benchmarkJob } from './jobs/handlers/benchmark-job';
import { generateJob } from './jobs/handlers/generate-job';
import type { JobServices } from './jobs/handlers/job-services';
import { parseJob } from './jobs/handlers/parse-job';
import { trainJob } from './jobs/handlers/train-job';
import { validateJob } from './jobs/handlers/validate-job';
import { benchmarkRoutes } from './routes/benchmark-routes';
import { healthRoutes } from './routes/health-routes';
import { jobRoutes } from './routes/job-routes';
import { modelRoutes } from './routes/model-routes';
import { traceRoutes } from './routes/trace-routes';
import { validationRoutes } from './routes/validation-routes';

export interface ApiServerOptions {
  readonly repository: Repository;
  readonly blobs: BlobStore;
  /** Benchmark targets by name: URLs (with passwords) that requests name but never see. */
  readonly targets?: JobServices['targets'];
  /** Largest upload, bytes (default 1 GiB). */
  readonly maxUploadBytes?: number;
  /** Jobs run at once (default 2). */
  readonly workers?: number;
  /** Log requests (pino) — default off; secrets are never in what is logged. */
  readonly logger?: boolean;
}

export type ApiServer = FastifyInstance & { readonly jobs: JobRunner };

/** Paths served without a token. */
const PUBLIC = [/^\/healthz$/, /^\/metrics$/, /^\/openapi\.json$/, /^\/docs(\/.*)?$/];

/**
 * The REST API on the application services: routes with JSON schemas (OpenAPI 3.1 at
 * /openapi.json, browsable at /docs), a bearer token on every route but health, metrics and docs,
 * one error shape, work as jobs (see JobRunner). Call `jobs.start()` (done by `listen` here) before
 * serving so jobs a stopped server left running are failed and queued ones resume.
 */
export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  const metrics = new ServerMetrics(options.repository);
  metrics.instrument(app);
  const services: JobServices = { repository: options.repository, blobs: options.blobs, targets: options.targets ?? {}, benchmarkMetrics: metrics.benchmarks };
  const jobs = new JobRunner(
    options.repository,
    {
      parse: parseJob(services),
      train: trainJob(services),
      generate: generateJob(services),
      validate: validateJob(services),
      benchmark: benchmarkJob(services),
    },
    { workers: options.workers ?? 2 },
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SQL Trace Bench API',
        version: '1',
        description: 'Traces, models, synthetic traces, validations and benchmarks; long work runs as jobs.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addSchema(ErrorReply);

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (PUBLIC.some((p) => p.test(path))) return;
    if ((await authenticate(options.repository, request.headers.authorization)) === undefined) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: { code: 'E_AUTH', message: 'a valid bearer token is required (Authorization: Bearer <token>)' } });
    }
  });
  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = errorReply(error);
    if (status >= 500) app.log.error(error);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'E_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );

  const context = { ...services, jobs, metrics, maxUploadBytes: options.maxUploadBytes ?? 1024 ** 3 };
  await app.register(healthRoutes(context));
  await app.register(traceRoutes(context));
  await app.register(modelRoutes(context));
  await app.register(validationRoutes(context));
  await app.register(benchmarkRoutes(context));
  await app.register(jobRoutes(context));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onReady', async () => {
    await jobs.start();
  });
  app.addHook('onClose', async () => {
    await jobs.close();
  });
  return Object.assign(app, { jobs }) as unknown as ApiServer;
}
