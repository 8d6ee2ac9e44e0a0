import { join } from 'node:path';
import { GenerationService } from '@sqltrace/app';
import { StbError, type JsonObject } from '@sqltrace/core';
import { blobToFile, fileToBlob } from '../blob-files';
import type { JobHandler } from '../job-runner';
import type { JobServices } from './job-services';

/** Generates a synthetic trace from a model: a new trace whose lineage names the model and the settings. */
export function generateJob({ repository, blobs }: JobServices): JobHandler {
  return async (input, { workspace, signal, progress }) => {
    const modelId = String(input.modelId);
    const model = await repository.getModel(modelId);
    if (model === undefined) throw new StbError('E_NOT_FOUND', `model ${modelId}: no such record`);
    const service = new GenerationService();
    const loaded = await service.load(await blobToFile(blobs, model.blob, join(workspace, 'model.json')));
    const output = join(workspace, 'synthetic.jsonl');
    const settings = input.settings as JsonObject;
    const summary = await service.generate(
      loaded,
      {
        output,
        ...(typeof settings.events === 'number' ? { events: settings.events } : {}),
        ...(typeof settings.durationSeconds === 'number' ? { durationSeconds: settings.durationSeconds } : {}),
        ...(typeof settings.sessions === 'number' ? { sessions: settings.sessions } : {}),
        seed: String(settings.seed ?? 'stb'),
        writtenBy: 'stb serve',
      },
      { signal, onProgress: ({ events }) => progress({ phase: 'generate', events }) },
    );
    const trace = await repository.createTrace({ name: `synthetic from ${modelId}`, origin: 'generated', lineage: { modelId, settings } });
    const blob = `traces/${trace.id}/trace.jsonl`;
    await fileToBlob(blobs, output, blob);
    const { output: _local, ...kept } = summary;
    await repository.updateTrace(trace.id, {
      blob,
      events: summary.events,
      sessions: summary.sessions,
      summary: JSON.parse(JSON.stringify(kept)) as JsonObject,
    });
    return { traceId: trace.id };
  };
}
