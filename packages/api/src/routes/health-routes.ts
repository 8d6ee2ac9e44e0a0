import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { RouteContext } from './route-context';

/** Health (the store answers) and Prometheus metrics of the server and its jobs. */
export function healthRoutes({ repository }: RouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/healthz', { schema: { security: [], response: { 200: Type.Object({ ok: Type.Boolean(), store: Type.String() }), 503: Type.Ref('ErrorReply') } } }, async (_request, reply) => {
      try {
        await repository.ping();
        return { ok: true, store: repository.location };
      } catch (error) {
        return reply.code(503).send({ error: { code: 'E_STORE', message: `the store does not answer: ${(error as Error).message}` } });
      }
    });

    app.get('/metrics', { schema: { security: [], hide: true } }, async (request, reply) => {
      // Only from this machine: the jobs' inputs are not secret, but their numbers are nobody else's business.
      const ip = request.socket.remoteAddress ?? '';
      if (!/^(127\.|::1$|::ffff:127\.)/.test(ip)) return reply.code(403).send({ error: { code: 'E_AUTH', message: '/metrics answers on loopback only' } });
      const lines = ['# HELP stb_api_jobs Jobs in the repository by kind and state.', '# TYPE stb_api_jobs gauge'];
      const counts = new Map<string, number>();
      for (const job of await repository.listJobs({ limit: 1000 })) counts.set(`kind="${job.kind}",state="${job.state}"`, (counts.get(`kind="${job.kind}",state="${job.state}"`) ?? 0) + 1);
      for (const [labels, n] of counts) lines.push(`stb_api_jobs{${labels}} ${n}`);
      const memory = process.memoryUsage();
      lines.push('# HELP stb_api_resident_memory_bytes Resident set size of the server.', '# TYPE stb_api_resident_memory_bytes gauge', `stb_api_resident_memory_bytes ${memory.rss}`);
      return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
    });
  };
}
