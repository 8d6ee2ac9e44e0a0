import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ValidationService } from '@sqltrace/app';
import type { JsonObject } from '@sqltrace/core';
import { fileToBlob } from '../blob-files';
import type { JobHandler } from '../job-runner';
import type { JobServices } from './job-services';
import { traceFile } from './trace-file';

/** Validates a synthetic trace against its original: the report as JSON and HTML in the blob store. */
export function validateJob(services: JobServices): JobHandler {
  return async (input, { workspace, signal, progress }) => {
    const originalId = String(input.originalId),
      syntheticId = String(input.syntheticId);
    const original = await traceFile(services, originalId, workspace, 'original');
    const synthetic = await traceFile(services, syntheticId, workspace, 'synthetic');
    progress({ phase: 'compare' });
    const json = join(workspace, 'report.json'),
      html = join(workspace, 'report.html');
    const report = await new ValidationService().validate(
      { original, synthetic, json, html, ...(input.thresholds !== undefined ? { thresholds: input.thresholds as Record<string, number> } : {}) },
      { signal },
    );
    const key = `reports/${randomUUID()}`;
    await fileToBlob(services.blobs, json, `${key}.json`);
    await fileToBlob(services.blobs, html, `${key}.html`);
    const validation = await services.repository.createValidation({
      originalId,
      syntheticId,
      passed: report.passed,
      score: report.score,
      reportBlob: `${key}.json`,
      htmlBlob: `${key}.html`,
    });
    return { validationId: validation.id } satisfies JsonObject;
  };
}
