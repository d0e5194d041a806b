/** @hub/projector: the projector, rebuild/replay/verify, dead letters and the alert projection. */
export { createProjector } from './projector.js';
export type {
  Projector,
  ProjectorOptions,
  ProjectorMode,
  ProjectorStats,
  CommittedBatch,
  SignaturePolicy,
} from './projector.js';
export { signaturePolicyFrom } from './config.js';
export * from './digest.js';
export {
  decodeStreamMessage,
  type DeadLetterReason,
  type SignatureCheck,
  type StreamMessage,
} from './projection/decode.js';
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
export { projectorConfigShape, loadProjectorConfig, type ProjectorConfig } from './config.js';
export {
  publishCalendars,
  publishOfficeEvent,
  startClockPublisher,
  type ClockPublisher,
} from './clock/publisher.js';
export { createLawProjection, type LawProjection } from './law/projection.js';
export { chainMessage } from './chain.js';
export {
  verifyChain,
  type ChainDifference,
  type ChainDifferenceKind,
  type ChainReport,
} from './chain-verify.js';
export { digestPostgresReadModel } from './pg/digest-postgres.js';
export {
  createPgWriter,
  PG_VACUUM_AFTER_ROWS,
  type PgWriter,
  type PgWriterStatus,
  type PgRole,
} from './pg/pg-writer.js';
export { createPgShipper, prepareWorkingCopy, PG_WRITER_LOCK, type PgShipper } from './pg/pg-shipper.js';
