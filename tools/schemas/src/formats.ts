/**
 * The four file formats the tools write, as the TypeScript types the JSON Schemas are generated
 * from (`npm run -w @sqltrace/schemas-tool schemas`). Each format lists the package that publishes
 * its schema (`@sqltrace/<package>/schemas/<file>`).
 */
import type { TraceEvent, TraceHeader } from '@sqltrace/core';
import type { MarkovModelJson, ModelFile, NeuralModelJson } from '@sqltrace/generators';
import type { FidelityReportJson } from '@sqltrace/validator';
import type { BenchResults } from '@sqltrace/bench';

/** The optional first line of a trace file (JSON Lines): `{"$trace": {...}}`. */
export interface TraceHeaderLine {
  $trace: TraceHeader;
}

/** Every other line of a trace file: one statement as it ran. */
export type TraceEventLine = TraceEvent;

/** A model file (`stb train -o`): the envelope, and the model of its strategy. */
export type ModelFileJson = ModelFile<MarkovModelJson> | ModelFile<NeuralModelJson>;

/** A fidelity report (`stb validate --json`, `-o report.json`). */
export type FidelityReportFile = FidelityReportJson;

/** Benchmark results (`stb bench -o results.json`, `--json`). */
export type BenchResultsFile = BenchResults;

export interface Format {
  /** The type in this file the schema is generated from. */
  readonly type: string;
  /** The package whose `schemas/` folder publishes it. */
  readonly package: 'core' | 'generators' | 'validator' | 'bench';
  readonly file: string;
  readonly title: string;
}

export const FORMATS: readonly Format[] = [
  { type: 'TraceHeaderLine', package: 'core', file: 'trace-header.schema.json', title: 'SQL Trace Bench trace file: header line' },
  { type: 'TraceEventLine', package: 'core', file: 'trace-event.schema.json', title: 'SQL Trace Bench trace file: event line' },
  { type: 'ModelFileJson', package: 'generators', file: 'model-file.schema.json', title: 'SQL Trace Bench model file' },
  { type: 'FidelityReportFile', package: 'validator', file: 'fidelity-report.schema.json', title: 'SQL Trace Bench fidelity report' },
  { type: 'BenchResultsFile', package: 'bench', file: 'bench-results.schema.json', title: 'SQL Trace Bench benchmark results' },
];
