import type { JobRunner } from '../jobs/job-runner';
import type { JobServices } from '../jobs/handlers/job-services';
import type { ServerMetrics } from '../http/server-metrics';

/** What the routes are given. */
export type RouteContext = JobServices & { readonly jobs: JobRunner; readonly maxUploadBytes: number; readonly metrics: ServerMetrics };
