import { join } from 'node:path';
import { StbError } from '@sqltrace/core';
import { blobToFile } from '../blob-files';
import type { JobServices } from './job-services';

/** A trace's JSONL copied into the job's workspace (a trace still being parsed has none yet). */
export async function traceFile({ repository, blobs }: JobServices, traceId: string, workspace: string, name = 'trace'): Promise<string> {
  const trace = await repository.getTrace(traceId);
  if (trace === undefined) throw new StbError('E_NOT_FOUND', `trace ${traceId}: no such record`);
  if (trace.blob === undefined) throw new StbError('E_USAGE', `trace ${traceId} has no trace file yet: its parse job has not finished`);
  return blobToFile(blobs, trace.blob, join(workspace, `${name}-${traceId}.jsonl`));
}
