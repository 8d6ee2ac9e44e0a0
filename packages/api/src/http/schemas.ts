import { Type, type Static } from 'typebox';

/** One error shape for every route: `{ error: { code, message } }`. */
export const ErrorReply = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code: E_NOT_FOUND, E_USAGE, E_INPUT, E_AUTH, E_TOO_LARGE, E_STORE …' }),
      message: Type.String(),
      hint: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorReply' },
);

const Json = Type.Record(Type.String(), Type.Unknown());
const Id = Type.String({ pattern: '^[a-z]{2}_[0-9a-f]{20}$' });
export const IdParams = Type.Object({ id: Id });

export const Trace = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: Type.String(),
    origin: Type.Union([Type.Literal('uploaded'), Type.Literal('generated')]),
    blob: Type.Optional(Type.String()),
    events: Type.Optional(Type.Number()),
    sessions: Type.Optional(Type.Number()),
    summary: Type.Optional(Json),
    lineage: Type.Optional(Type.Object({ modelId: Type.String(), settings: Json })),
  },
  { $id: 'Trace' },
);

export const Template = Type.Object({
  templateId: Type.String(),
  sql: Type.String(),
  kind: Type.Optional(Type.String()),
  count: Type.Number(),
  totalUs: Type.Optional(Type.Number()),
});

export const Model = Type.Object(
  {
    id: Type.String(),
    traceId: Type.String(),
    strategy: Type.String(),
    createdAt: Type.String(),
    blob: Type.String(),
    settings: Type.Optional(Json),
    summary: Type.Optional(Json),
  },
  { $id: 'Model' },
);

export const Validation = Type.Object(
  {
    id: Type.String(),
    originalId: Type.String(),
    syntheticId: Type.String(),
    createdAt: Type.String(),
    passed: Type.Boolean(),
    score: Type.Number(),
    reportBlob: Type.String(),
    htmlBlob: Type.Optional(Type.String()),
  },
  { $id: 'Validation' },
);

export const Benchmark = Type.Object(
  {
    id: Type.String(),
    traceId: Type.String(),
    createdAt: Type.String(),
    driver: Type.String(),
    target: Type.String(),
    settings: Json,
    resultsBlob: Type.Optional(Type.String()),
    summary: Type.Optional(Json),
  },
  { $id: 'Benchmark' },
);

export const JobState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
export const Job = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    state: JobState,
    createdAt: Type.String(),
    startedAt: Type.Optional(Type.String()),
    finishedAt: Type.Optional(Type.String()),
    input: Json,
    progress: Type.Optional(Json),
    result: Type.Optional(Json),
    error: Type.Optional(Type.String()),
  },
  { $id: 'Job' },
);

/** What a route that starts work answers (202). */
export const Accepted = Type.Object({ job: Type.Object({ id: Type.String(), state: JobState }) }, { additionalProperties: true });

export const Page = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  before: Type.Optional(Id),
});

export type PageQuery = Static<typeof Page>;
