export { capturePgbench, type CaptureResult, type PgbenchCaptureOptions } from './capture-pgbench';
export { captureSysbench, type SysbenchCaptureOptions } from './capture-sysbench';
export { freshPgbenchDatabase, pgEnvironment } from './pgbench-database';
export { freshSysbenchDatabase, type SysbenchTables } from './sysbench-database';
export { pipeline, synthesize, type Pipeline } from './fidelity-pipeline';
export { FIDELITY_CAPTURES, fidelityCapture, type FidelityCapture } from './fidelity-captures';
