import { StbError, TRACE_FORMAT_VERSION, TraceFileSink } from '@sqltrace/core';
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
  readonly onProgress?: (progress: { file: string; bytesRead: number; totalBytes: number | undefined; lines: number; events: number }) => void;
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
 * {@link StbError} when no input yields a single statement.
 */
export async function parseLogsToTrace(paths: readonly string[], options: ParseLogsToTraceOptions): Promise<ParseLogsToTraceResult> {
  if (paths.length === 0) throw new StbError('E_USAGE', 'no input log given', { hint: 'Pass one or more log files, or - for stdin' });
  const started = performance.now();
  const sink = new TraceFileSink(options.output);
  const summaries: ParseSummary[] = [];
  let events = 0;
  let wroteHeader = options.header === false;
  let pipeline: NormalizePipeline | undefined;
  const inFlight: Array<{ text: Promise<string>; count: number }> = [];
  const drain = async (keep: number) => {
    while (inFlight.length > keep) {
      const next = inFlight.shift()!;
      await sink.writeEncoded(await next.text, next.count, { signal: options.signal });
    }
  };
  try {
    for (const path of paths) {
      const parser = new LogParser(path, {
        ...options,
        normalize: false, // the pipeline normalizes
        onFormat: (_format, dialect) => {
          if (options.normalize !== false) pipeline ??= new NormalizePipeline({ dialect, threads: options.threads });
        },
        onProgress: options.onProgress ? (p) => options.onProgress!({ file: parser.name, ...p }) : undefined,
      });
      summaries.push(parser.summary);
      for await (const batch of parser.batches()) {
        if (!wroteHeader) {
          wroteHeader = true;
          const format = parser.summary.format!;
          await sink.writeHeader({
            version: TRACE_FORMAT_VERSION,
            source: format,
            dialect: dialectOf(format) ?? options.dialect ?? 'postgres',
            ...(options.generator ? { generator: options.generator } : {}),
            createdAt: new Date().toISOString(),
          });
        }
        events += batch.length;
        if (pipeline === undefined) {
          await sink.write(batch, { signal: options.signal });
          continue;
        }
        // Keep a few batches in flight so parsing and normalizing overlap.
        // When the worker already has work queued, this thread takes the batch itself.
        const workerBusy = pipeline.queued >= 2;
        inFlight.push({ text: pipeline.submit(batch, workerBusy), count: batch.length });
        await drain(3);
      }
      await drain(0);
      if (pipeline !== undefined) parser.summary.templates = pipeline.templates;
    }
  } finally {
    await Promise.allSettled(inFlight.map((f) => f.text));
    await pipeline?.close();
    await sink.close();
  }
  if (events === 0) {
    const reasons = summaries.flatMap((s) => s.skipped.slice(0, 2).map((r) => `${r.reason} (${r.lines} lines, first at ${s.file}:${r.firstLines[0]})`));
    throw new StbError('E_INPUT', `no statements found in ${paths.join(', ')}${reasons.length ? `: ${reasons.join('; ')}` : ''}`, {
      hint: 'Check the server logged statements (log_statement=all or log_min_duration_statement=0; general_log or slow_query_log for MySQL), or pass --format / --prefix',
    });
  }
  return { output: options.output, inputs: summaries, events, seconds: (performance.now() - started) / 1000 };
}
