import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { text } from 'node:stream/consumers';
import { Type } from 'typebox';
import { ApiError } from '../http/api-error';
import { Accepted, IdParams, Page, Validation } from '../http/schemas';
import type { RouteContext } from './route-context';

const ValidateBody = Type.Object({
  originalId: Type.String(),
  syntheticId: Type.String(),
  thresholds: Type.Optional(Type.Record(Type.String(), Type.Number({ minimum: 0 }))),
});

/** Validations: compare a synthetic trace with its original (a job); the report as JSON or its HTML page. */
export function validationRoutes({ repository, blobs, jobs }: RouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/v1/validations', { schema: { body: ValidateBody, response: { 202: Accepted } } }, async (request, reply) => {
      for (const id of [request.body.originalId, request.body.syntheticId]) {
        if ((await repository.getTrace(id)) === undefined) throw new ApiError(404, 'E_NOT_FOUND', `trace ${id}: no such trace`);
      }
      const job = await jobs.submit('validate', { ...request.body });
      return reply.code(202).send({ job: { id: job.id, state: job.state } });
    });

    app.get('/v1/validations', { schema: { querystring: Page, response: { 200: Type.Object({ validations: Type.Array(Validation) }) } } }, async (request) => ({
      validations: await repository.listValidations(request.query),
    }));

    app.get(
      '/v1/validations/:id',
      { schema: { params: IdParams, response: { 200: Type.Intersect([Validation, Type.Object({ report: Type.Record(Type.String(), Type.Unknown()) })]) } } },
      async (request) => {
        const validation = await repository.getValidation(request.params.id);
        if (validation === undefined) throw new ApiError(404, 'E_NOT_FOUND', `validation ${request.params.id}: no such validation`);
        return { ...validation, report: JSON.parse(await text(await blobs.get(validation.reportBlob))) as Record<string, unknown> };
      },
    );

    app.get('/v1/validations/:id/report.html', { schema: { params: IdParams } }, async (request, reply) => {
      const validation = await repository.getValidation(request.params.id);
      if (validation?.htmlBlob === undefined) throw new ApiError(404, 'E_NOT_FOUND', `validation ${request.params.id}: no such report`);
      return reply.type('text/html; charset=utf-8').send(await blobs.get(validation.htmlBlob));
    });
  };
}
