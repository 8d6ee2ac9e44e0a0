// @sqltrace/api — the REST API of SQL Trace Bench (`stb serve`).
export type { ApiServer, ApiServerOptions } from './server';
export { createApiServer } from './server';
export { hashToken, issueToken } from './auth/api-tokens';
export type { JobContext, JobEvent, JobHandler } from './jobs/job-runner';
export { JobRunner } from './jobs/job-runner';
export type { ServeOptions, Serving } from './serve';
export { serve } from './serve';
