import type { JobRunner } from '../jobs/job-runner';
import type { JobServices } from '../jobs/handlers/job-services';

/** What the routes are given. */
export type RouteContext = JobServices & { readonly jobs: JobRunner; readonly maxUploadBytes: number };
