import { AtomicOutput, checkOutputPath, StbError, TRACE_FORMAT_VERSION, type TraceHeader, TraceFileSink } from '@sqltrace/core';
import { dialectOf } from './format/log-format';
import { LogParser, type ParseLogOptions } from './log-parser';
import type { ParseSummary } from './parse-summary';
import { NormalizePipeline } from './parallel/normalize-pipeline';

export interface ParseLogsToTraceOptions extends Omit<ParseLogOptions, 'onProgress'> {
  /** `.jsonl`, `.jsonl.gz` (compressed), or `-` for stdout. */
  readonly output: string;
  /** Write the `{"$trace": …}` header line (default true). */
  readonly header?: boolean;
  /** Name and version of the writer, recorded in the header. */
  readonly generator?: string;
  readonly onProgress?: (progress: {
    file: string;
    bytesRead: number;
    totalBytes: number | undefined;
    textBytes: number;
    lines: number;
    events: number;
  }) => void;
  /** Worker threads for normalizing and encoding (default 1: reading and parsing keep the main thread). 0 runs everything inline. */
  readonly threads?: number;
}

export interface ParseLogsToTraceResult {
  readonly output: string;
  readonly inputs: readonly ParseSummary[];
  readonly events: number;
  readonly seconds: number;
}

/**
 * Parses logs (in order) into one trace file: what `stb parse` does. Fails with a clear
 * {@link StbError} when no input yields a single statement. The trace is written beside the
 * output under a temporary name and renamed into place only when every input was read: a failure
 * leaves an existing file as it was. The output may not be one of the inputs.
 */
export async function parseLogsToTrace(paths: readonly string[], options: ParseLogsToTraceOptions): Promise<ParseLogsToTraceResult> {
  if (paths.length === 0) throw new StbError('E_USAGE', 'no input log given', { hint: 'Pass one or more log files, or - for stdin' });
  checkOutputPath(options.output, paths);
  const out = new AtomicOutput(options.output);
  try {
    const result = await writeTrace(paths, options, out.path);
    out.commit();
    return result;
  } finally {
    out.discard(); // (nothing once committed)
  }
}

/** The parse itself, writing the trace to `outputPath` (the output's temporary name). */
async function writeTrace(paths: readonly string[], options: ParseLogsToTraceOptions, outputPath: string): Promise<ParseLogsToTraceResult> {
  const started = performance.now();
  const summaries: ParseSummary[] = [];
  let events = 0;
  let wroteHeader = options.header === false;
  let headerResolution: number | undefined;
  // Without normalization the events go straight to a sink; with it, through the pipeline,
  // which owns the output file (on its worker thread when one is available).
  const raw = options.normalize === false ? new TraceFileSink(outputPath) : undefined;
  let pipeline: NormalizePipeline | undefined;
  const inFlight: Promise<void>[] = [];
  try {
    for (const path of paths) {
      const parser = new LogParser(path, {
        ...options,
        normalize: false, // the pipeline normalizes
        onFormat: (_format, dialect) => {
          if (raw === undefined) pipeline ??= new NormalizePipeline({ dialect, output: outputPath, threads: options.threads });
        },
        onProgress: options.onProgress ? (p) => options.onProgress!({ file: parser.name, ...p }) : undefined,
      });
      summaries.push(parser.summary);
      pipeline?.startInput();
      for await (const batch of parser.batches()) {
        if (!wroteHeader) {
          wroteHeader = true;
          const format = parser.summary.format!;
          const header: TraceHeader = {
            version: TRACE_FORMAT_VERSION,
            source: format,
            dialect: dialectOf(format) ?? options.dialect ?? 'postgres',
            // Known from the first batch's times; checked against the rest below.
            ...(parser.summary.resolutionUs !== undefined ? { resolutionUs: parser.summary.resolutionUs } : {}),
            ...(options.generator ? { generator: options.generator } : {}),
            createdAt: new Date().toISOString(),
          };
          headerResolution = header.resolutionUs;
          await (raw ? raw.writeHeader(header) : pipeline!.writeHeader(header));
        }
        events += batch.length;
        if (raw) {
          await raw.write(batch, { signal: options.signal });
          continue;
        }
        // A few batches in flight let parsing and normalizing overlap; more would only use memory.
        inFlight.push(pipeline!.submit(batch));
        while (inFlight.length > 6) await inFlight.shift();
      }
      while (inFlight.length > 0) await inFlight.shift();
      const resolution = parser.summary.resolutionUs;
      if (headerResolution !== undefined && resolution !== undefined && resolution < headerResolution) {
        parser.summary.warnings.push({
          file: parser.name,
          message: `times later in the log are finer (${resolution} µs) than its first lines showed: the trace header says resolutionUs ${headerResolution}`,
        });
      }
      if (pipeline !== undefined) parser.summary.templates = pipeline.templates;
    }
  } finally {
    await Promise.allSettled(inFlight);
    if (raw) await raw.close();
    else await pipeline?.close();
  }
  if (events === 0) {
    const reasons = summaries.flatMap((s) => s.skipped.slice(0, 2).map((r) => `${r.reason} (${r.lines} lines, first at ${s.file}:${r.firstLines[0]})`));
    throw new StbError('E_INPUT', `no statements found in ${paths.join(', ')}${reasons.length ? `: ${reasons.join('; ')}` : ''}`, {
      hint: 'Check the server logged statements (log_statement=all or log_min_duration_statement=0; general_log or slow_query_log for MySQL), or pass --format / --prefix',
    });
  }
  return { output: options.output, inputs: summaries, events, seconds: (performance.now() - started) / 1000 };
}
