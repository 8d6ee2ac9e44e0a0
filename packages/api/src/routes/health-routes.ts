import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authenticate } from '../auth/api-tokens';
import type { RouteContext } from './route-context';

/** Health (the store answers) and Prometheus metrics of the server, its jobs and the benchmarks running. */
export function healthRoutes({ repository, metrics }: RouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      { schema: { security: [], response: { 200: Type.Object({ ok: Type.Boolean(), store: Type.String() }), 503: Type.Ref('ErrorReply') } } },
      async (_request, reply) => {
        try {
          await repository.ping();
          return { ok: true, store: repository.location };
        } catch (error) {
          return reply.code(503).send({ error: { code: 'E_STORE', message: `the store does not answer: ${(error as Error).message}` } });
        }
      },
    );

    app.get('/metrics', { schema: { security: [], hide: true } }, async (request, reply) => {
      // From this machine, or with a token (a Prometheus elsewhere: its scrape config's `authorization`):
      // the jobs' inputs are not secret, but their numbers are nobody else's business.
      const ip = request.socket.remoteAddress ?? '';
      const local = /^(127\.|::1$|::ffff:127\.)/.test(ip);
      if (!local && (await authenticate(repository, request.headers.authorization)) === undefined) {
        return reply.code(403).send({
          error: {
            code: 'E_AUTH',
            message: '/metrics answers on loopback, or with a valid bearer token (Prometheus: authorization.credentials_file in the scrape config)',
          },
        });
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  };
}
