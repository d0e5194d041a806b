/** The projector's configuration, parsed once from the environment by main.ts. */
import { z } from 'zod';
import { commonConfig, loadConfig, port, readModelUrl } from '@hub/platform';

export const projectorConfigShape = {
  ...commonConfig,
  /** /metrics and /healthz. */
  PORT: port(8084),
  /** Events per SQLite transaction at most (kept below max_ack_pending is moot: ordered consumer). */
  PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /**
   * A batch commits as soon as at most a few more wait in the stream; if the stream said more was
   * waiting and nothing came, what is held commits after this many milliseconds.
   */
  PROJECTOR_MAX_WAIT_MS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** /healthz answers 503 when events wait and the position has not moved for this many seconds. */
  PROJECTOR_STALL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** Decode and validate on a worker thread while the main thread writes SQLite. */
  /** Publish a clock tick to ENF_EVENTS every this many ms (0: off, e.g. when another process ticks). */
  PROJECTOR_CLOCK_TICK_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Publish the shipped working-day calendar versions at start (each once, deduplicated). */
  PROJECTOR_PUBLISH_CALENDAR: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  PROJECTOR_DECODE_WORKER: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),

  /**
   * The read model on PostgreSQL (`postgres://user:pass@host:5432/db`): the projector still
   * projects into its SQLite file under HUB_DATA_DIR (the working copy) and ships every
   * transaction's rows there, position included. Unset: the SQLite file is the read model.
   */
  READ_MODEL_URL: readModelUrl,
  /** With READ_MODEL_URL: a standby projector tries to become the writer this often. */
  PROJECTOR_PG_LOCK_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),

  /**
   * Migration switch: accept events published without a signature (a bad signature is still
   * dead-lettered). Off: every event must be signed by a registered key of its agency.
   */
  PROJECTOR_ALLOW_UNSIGNED: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
};

/** The signature policy of the service and of the commands that must build what it builds. */
export const signaturePolicyFrom = (
  env: Record<string, string | undefined>,
): 'required' | 'allow-unsigned' =>
  loadConfig({ PROJECTOR_ALLOW_UNSIGNED: projectorConfigShape.PROJECTOR_ALLOW_UNSIGNED }, env)
    .PROJECTOR_ALLOW_UNSIGNED
    ? 'allow-unsigned'
    : 'required';

export const loadProjectorConfig = (env: Record<string, string | undefined>) =>
  loadConfig(projectorConfigShape, env);
export type ProjectorConfig = ReturnType<typeof loadProjectorConfig>;
