import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TrainingService } from '@sqltrace/app';
import type { JsonObject } from '@sqltrace/core';
import { fileToBlob } from '../blob-files';
import type { JobHandler } from '../job-runner';
import type { JobServices } from './job-services';
import { traceFile } from './trace-file';

/** Trains a model on a trace; the model file goes to the blob store, the record to the repository. */
export function trainJob(services: JobServices): JobHandler {
  return async (input, { workspace, signal, progress }) => {
    const traceId = String(input.traceId);
    const trace = await traceFile(services, traceId, workspace);
    const output = join(workspace, 'model.json');
    const settings = (input.settings ?? {}) as JsonObject;
    const summary = await new TrainingService().train(
      { trace, strategy: String(input.strategy), output, settings },
      { signal, onEvents: (events) => progress({ phase: 'read', events }) },
    );
    const blob = `models/${randomUUID()}.json`;
    await fileToBlob(services.blobs, output, blob);
    const { output: _local, ...kept } = summary;
    const model = await services.repository.createModel({
      traceId,
      strategy: summary.strategy,
      blob,
      settings,
      summary: JSON.parse(JSON.stringify(kept)) as JsonObject,
    });
    return { modelId: model.id };
  };
}
