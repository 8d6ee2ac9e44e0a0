export type { Dialect } from './domain/dialect';
export { DIALECTS } from './domain/dialect';
export type { ParamValue, TraceEvent, TraceHeader } from './domain/trace-event';
export { TRACE_FORMAT_VERSION } from './domain/trace-event';
export { ClockResolution, clockTick, headerResolution, onClockGrid } from './domain/clock-resolution';
export { cutByEdges, edgeSlack } from './domain/session-edges';
export { sweepOpenSessions } from './domain/open-sessions-sweep';
export type { SlotType, StatementKind, Template, TemplateSlot, TemplateTables } from './domain/template';
export { STATEMENT_KINDS } from './domain/template';
export { kindOfFirstWord, kindOfStatement } from './domain/statement-kind';
export type { AllowedEffect, StatementClassifier, StatementEffect, StatementSafety } from './domain/statement-effect';

export type { StbErrorCode, StbErrorOptions } from './errors/stb-error';
export { StbError, isStbError } from './errors/stb-error';
export type { InputLocation } from './errors/input-location';
export { formatLocation } from './errors/input-location';
export { InputError } from './errors/input-error';

export type { ReadOptions, TraceSource } from './ports/trace-source';
export type { TraceSink, WriteOptions } from './ports/trace-sink';
export type { GenerateOptions, TraceGenerator, TrainOptions, WorkloadModel } from './ports/trace-generator';
export type { FidelityReport, PropertyResult, Validator } from './ports/validator';
export type { Driver, DriverFactory, DriverSession, ExecuteOptions, ExecuteResult } from './ports/driver';
export type { MetricsSink, OperationMetric } from './ports/metrics-sink';

export { Prng } from './random/prng';

export type { Compression, OpenedInput } from './trace-io/open-input';
export { openInput } from './trace-io/open-input';
export type { LineBatch, LineBatchOptions, LineWarning } from './trace-io/line-batches';
export { CORRUPT_INPUT, DEFAULT_MAX_LINE_LENGTH, readLineBatches } from './trace-io/line-batches';
export { encodeTraceEvent, encodeTraceHeader, traceEventProblem } from './trace-io/trace-event-codec';
export { TraceFileSource } from './trace-io/trace-file-source';
export { TraceFileSink } from './trace-io/trace-file-sink';
export { AtomicOutput, checkOutputPath, removeTemporaryOutputs, temporaryPathFor, writeFileAtomic } from './trace-io/atomic-output';
export type { DriverErrorDetails } from './errors/driver-error';
export { DriverError, isDriverError } from './errors/driver-error';
export { containsSecret, redactSecrets } from './drivers/connection-url';
export { runStatements } from './drivers/run-statements';
export { ConnectionSession } from './drivers/connection-session';
export { OpenSessions } from './drivers/open-sessions';
export type {
  ApiTokenRecord,
  BenchmarkRecord,
  JobRecord,
  JobState,
  JobUpdate,
  Json,
  JsonObject,
  ListOptions,
  ModelRecord,
  Repository,
  TemplateStat,
  TraceRecord,
  ValidationRecord,
} from './ports/repository';
export type { BlobInfo, BlobStore } from './ports/blob-store';
export { blobKeyProblem } from './ports/blob-store';
