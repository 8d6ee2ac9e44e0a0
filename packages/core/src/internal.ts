// @sqltrace/core/internal — plumbing the sibling packages share (worker threads, read sizes). Not
// part of the public API: it changes without notice between versions.
export { siblingScript } from './threads/sibling-script';
export type { PackedEvents } from './threads/packed-events';
export { packEvents, packedBuffers, unpackEvents } from './threads/packed-events';
export { READ_CHUNK } from './trace-io/open-input';
