/** The projector's configuration, parsed once from the environment by main.ts. */
import { z } from 'zod';
import { commonConfig, loadConfig, port } from '@hub/platform';

export const projectorConfigShape = {
  ...commonConfig,
  /** /metrics and /healthz. */
  PORT: port(8084),
  /** Events per SQLite transaction at most (kept below max_ack_pending is moot: ordered consumer). */
  PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(10_000),
  /** Flush a partial batch after this many quiet milliseconds. */
  PROJECTOR_IDLE_FLUSH_MS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Decode and validate on a worker thread while the main thread writes SQLite. */
  PROJECTOR_DECODE_WORKER: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),

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
