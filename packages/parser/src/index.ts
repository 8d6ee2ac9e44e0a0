export type { NormalizedStatement, NormalizerOptions } from './normalizer/normalizer';
export { Normalizer } from './normalizer/normalizer';
export type { ScanDialect, ScanResult } from './normalizer/sql-scanner';
export { scanSql } from './normalizer/sql-scanner';
export { NORMALIZER_VERSION, templateId, templateKey } from './normalizer/template-id';
// (The first-keyword kinds live in core, where the bench labels metrics with them too.)
export { kindOfFirstWord } from '@sqltrace/core';

export type { LogFormat } from './format/log-format';
export { LOG_FORMATS, dialectOf } from './format/log-format';
export type { DetectedFormat } from './format/detect-format';
export { detectFormat } from './format/detect-format';

export type { ParseLogOptions } from './log-parser';
export { LogParser } from './log-parser';
export type { ParseSummary, ParseWarning, SkipReason } from './parse-summary';

export type { LogReader, ReaderSink } from './readers/reader-sink';
export type { CompiledPrefix, PrefixField } from './readers/pg-prefix';
export { COMMON_PREFIXES, compilePrefix, detectPrefix } from './readers/pg-prefix';
export { parseLogTimestamp } from './readers/log-timestamp';
export { parseBindParameters } from './readers/pg-parameters';
export { PgStderrReader } from './readers/pg-stderr-reader';
export { PgSyslogReader } from './readers/pg-syslog-reader';
export { PgCsvReader } from './readers/pg-csv-reader';
export { PgJsonReader } from './readers/pg-json-reader';
export { MysqlGeneralReader } from './readers/mysql-general-reader';
export { MysqlSlowReader } from './readers/mysql-slow-reader';
export { SqlFileReader } from './readers/sql-file-reader';

export type { StatementAnalysis } from './analysis/statement-analysis';
export { analyzeStatement } from './analysis/statement-analyzer';
export { classifyStatement } from './analysis/statement-effect';

export type { ParseLogsToTraceOptions, ParseLogsToTraceResult } from './parse-logs-to-trace';
export { parseLogsToTrace } from './parse-logs-to-trace';
export type { TemplateStat, TemplateStats } from './template-stats';
export { collectTemplateStats } from './template-stats';
export { DurationHistogram } from './duration-histogram';
export { DistinctCounter } from './distinct-counter';
export { SessionIds } from './readers/session-ids';

export type { PlanPart, PlanValueRef, RenderStyle, RenderedStatement, TemplatePlan } from './render/template-plan';
export { compileTemplatePlan, expandPlan, renderPlan } from './render/template-plan';
export { sqlLiteral } from './render/sql-literal';
export { templateRoundTripProblem } from './render/template-round-trip';
