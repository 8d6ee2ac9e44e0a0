import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { JsonObject } from '@sqltrace/core';
import { ApiError } from '../http/api-error';
import { Accepted, IdParams, Model, Page } from '../http/schemas';
import type { RouteContext } from './route-context';

const TrainBody = Type.Object({
  traceId: Type.String(),
  strategy: Type.Union([Type.Literal('markov'), Type.Literal('lstm'), Type.Literal('transformer')], { default: 'markov' }),
  options: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: "The strategy's settings: order, minValueCount; epochs, units, backend … for the neural ones" }),
  ),
});

const GenerateBody = Type.Object({
  events: Type.Optional(Type.Integer({ minimum: 1 })),
  durationSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  sessions: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  seed: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Models: train one on a trace (a job), read them, generate a synthetic trace from one (a job). */
export function modelRoutes({ repository, jobs }: RouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/v1/models', { schema: { body: TrainBody, response: { 202: Accepted } } }, async (request, reply) => {
      const trace = await repository.getTrace(request.body.traceId);
      if (trace === undefined) throw new ApiError(404, 'E_NOT_FOUND', `trace ${request.body.traceId}: no such trace`);
      const job = await jobs.submit('train', { traceId: trace.id, strategy: request.body.strategy, settings: (request.body.options ?? {}) as JsonObject });
      return reply.code(202).send({ job: { id: job.id, state: job.state } });
    });

    app.get(
      '/v1/models',
      {
        schema: {
          querystring: Type.Intersect([Page, Type.Object({ traceId: Type.Optional(Type.String()) })]),
          response: { 200: Type.Object({ models: Type.Array(Model) }) },
        },
      },
      async (request) => ({ models: await repository.listModels(request.query) }),
    );

    app.get('/v1/models/:id', { schema: { params: IdParams, response: { 200: Model } } }, async (request) => {
      const model = await repository.getModel(request.params.id);
      if (model === undefined) throw new ApiError(404, 'E_NOT_FOUND', `model ${request.params.id}: no such model`);
      return model;
    });

    app.post('/v1/models/:id/generate', { schema: { params: IdParams, body: GenerateBody, response: { 202: Accepted } } }, async (request, reply) => {
      if ((await repository.getModel(request.params.id)) === undefined) throw new ApiError(404, 'E_NOT_FOUND', `model ${request.params.id}: no such model`);
      const job = await jobs.submit('generate', { modelId: request.params.id, settings: { ...request.body } as JsonObject });
      return reply.code(202).send({ job: { id: job.id, state: job.state } });
    });
  };
}
