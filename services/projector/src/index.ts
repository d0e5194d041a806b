/** @hub/projector: the read model schema, its readers' entry points, and the projector. */
export * from './read-model/schema.js';
export * from './read-model/open.js';
export * from './read-model/current.js';
export { createProjector } from './projector.js';
export type {
  Projector,
  ProjectorOptions,
  ProjectorMode,
  ProjectorStats,
  CommittedBatch,
} from './projector.js';
export * from './digest.js';
export { decodeStreamMessage, type DeadLetterReason, type StreamMessage } from './projection/decode.js';
export { deadLetterMessage } from './dead-letters.js';
export { retryDeadLetterInFile, type RetryResult } from './retry.js';
export { createLiveProjector, DLQ_RETRY_SUBJECT, type LiveProjector } from './live.js';
export {
  catchUpInto,
  rebuildLive,
  replayReadModel,
  verifyReadModel,
  parseUntil,
  newReadModelFile,
  type BuildOptions,
  type BuildResult,
  type VerifyReport,
} from './rebuild.js';
export * from './sample-stream.js';
export * from './alerts/index.js';
