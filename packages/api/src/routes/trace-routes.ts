import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../http/api-error';
import { Accepted, IdParams, Page, Template, Trace } from '../http/schemas';
import type { RouteContext } from './route-context';

const UploadQuery = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  format: Type.Optional(Type.String({ description: 'auto (default), or a log format stb parse knows (postgres-stderr, postgres-csv, mysql-general, …)' })),
});

/**
 * Traces: upload a raw log or trace file (the body, streamed straight to the blob store, gzip
 * or not, up to the upload limit) and parse it as a job; list, read, templates, download.
 */
export function traceRoutes({ repository, blobs, jobs, maxUploadBytes }: RouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Any body type, text and JSON included: the route streams it, so Fastify neither buffers nor
    // limits it here (this plugin's routes take no other body).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    app.post(
      '/v1/traces',
      { schema: { querystring: UploadQuery, response: { 202: Type.Intersect([Accepted, Type.Object({ trace: Trace })]), 413: Type.Ref('ErrorReply') } } },
      async (request, reply) => {
        const name = request.query.name ?? 'upload.log';
        const fileName = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-100) || 'upload.log';
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > maxUploadBytes) throw new ApiError(413, 'E_TOO_LARGE', `the upload is ${declared} bytes, over the server's limit of ${maxUploadBytes}`);
        const body = request.body as Readable | undefined;
        if (body === undefined || typeof (body as Readable).pipe !== 'function') throw new ApiError(400, 'E_USAGE', 'send the log as the request body');
        let bytes = 0;
        let tooLarge = false;
        const limited = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            if (bytes > maxUploadBytes) {
              tooLarge = true;
              callback(new Error(`over the upload limit of ${maxUploadBytes} bytes`));
            } else callback(null, chunk);
          },
        });
        body.on('error', (error) => limited.destroy(error));
        const key = `uploads/${randomUUID()}/${fileName}`;
        try {
          await blobs.put(key, body.pipe(limited));
        } catch (error) {
          if (tooLarge) throw new ApiError(413, 'E_TOO_LARGE', `the upload is over the server's limit of ${maxUploadBytes} bytes`);
          throw error;
        }
        if (bytes === 0) {
          await blobs.delete(key);
          throw new ApiError(400, 'E_USAGE', 'the upload is empty: send the log as the request body');
        }
        const trace = await repository.createTrace({ name, origin: 'uploaded', summary: { uploadBytes: bytes } });
        const job = await jobs.submit('parse', { traceId: trace.id, uploadBlob: key, fileName, format: request.query.format ?? 'auto' });
        return reply.code(202).send({ trace, job: { id: job.id, state: job.state } });
      },
    );

    app.get('/v1/traces', { schema: { querystring: Page, response: { 200: Type.Object({ traces: Type.Array(Trace) }) } } }, async (request) => ({
      traces: await repository.listTraces(request.query),
    }));

    app.get('/v1/traces/:id', { schema: { params: IdParams, response: { 200: Trace } } }, async (request) => {
      const trace = await repository.getTrace(request.params.id);
      if (trace === undefined) throw new ApiError(404, 'E_NOT_FOUND', `trace ${request.params.id}: no such trace`);
      return trace;
    });

    app.get(
      '/v1/traces/:id/templates',
      {
        schema: {
          params: IdParams,
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
          response: { 200: Type.Object({ templates: Type.Array(Template) }) },
        },
      },
      async (request) => {
        if ((await repository.getTrace(request.params.id)) === undefined) throw new ApiError(404, 'E_NOT_FOUND', `trace ${request.params.id}: no such trace`);
        return { templates: await repository.templates(request.params.id, request.query) };
      },
    );

    app.get(
      '/v1/traces/:id/download',
      { schema: { params: IdParams, description: 'The trace as JSONL (header line, then one event per line).' } },
      async (request, reply) => {
        const trace = await repository.getTrace(request.params.id);
        if (trace === undefined) throw new ApiError(404, 'E_NOT_FOUND', `trace ${request.params.id}: no such trace`);
        if (trace.blob === undefined) throw new ApiError(409, 'E_NOT_READY', `trace ${trace.id} has no trace file yet: its parse job has not finished`);
        return reply
          .type('application/x-ndjson')
          .header('content-disposition', `attachment; filename="${trace.id}.jsonl"`)
          .send(await blobs.get(trace.blob));
      },
    );
  };
}
