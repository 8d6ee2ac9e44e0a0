import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../http/api-error';
import { IdParams, Job } from '../http/schemas';
import type { JobEvent } from '../jobs/job-runner';
import type { RouteContext } from './route-context';

/** A job's state, its progress as Server-Sent Events, and cancellation. */
export function jobRoutes({ repository, jobs }: RouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/jobs/:id', { schema: { params: IdParams, response: { 200: Job } } }, async (request) => {
      const job = await repository.getJob(request.params.id);
      if (job === undefined) throw new ApiError(404, 'E_NOT_FOUND', `job ${request.params.id}: no such job`);
      return job;
    });

    app.delete('/v1/jobs/:id', { schema: { params: IdParams, response: { 200: Job } } }, async (request) => {
      const job = await jobs.cancel(request.params.id);
      if (job === undefined) throw new ApiError(404, 'E_NOT_FOUND', `job ${request.params.id}: no such job`);
      return job;
    });

    app.get(
      '/v1/jobs/:id/events',
      { schema: { params: IdParams, description: 'Server-Sent Events: `progress` events, then one `end` with the job.' } },
      async (request, reply) => {
        const job = await repository.getJob(request.params.id);
        if (job === undefined) throw new ApiError(404, 'E_NOT_FOUND', `job ${request.params.id}: no such job`);
        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const send = (event: JobEvent): void => {
          out.write(`event: ${event.type}\ndata: ${JSON.stringify(event.type === 'progress' ? event.progress : event.job)}\n\n`);
        };
        if (job.state !== 'queued' && job.state !== 'running') {
          send({ type: 'end', job });
          out.end();
          return;
        }
        const stop = jobs.listen(job.id, (event) => {
          send(event);
          if (event.type === 'end') {
            stop();
            out.end();
          }
        });
        if (job.progress !== undefined) send({ type: 'progress', progress: job.progress });
        // A job that ended between the read and the listening.
        const now = await repository.getJob(job.id);
        if (now !== undefined && now.state !== 'queued' && now.state !== 'running') {
          stop();
          send({ type: 'end', job: now });
          out.end();
        }
        request.raw.on('close', stop);
      },
    );
  };
}
