/**
 * The agency services' configuration, parsed once from the environment in each main.ts.
 * Defaults are documented beside each field.
 */
import { z } from 'zod';
import { commonConfig, port, readModelUrl } from '@hub/platform';
import { SERVICES, type ServiceName } from '@hub/domain';

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const agencyServiceConfig = (service: ServiceName) => ({
  ...commonConfig,
  /** HTTP port: 8081 market supervision, 8082 urban construction, 8083 public safety. */
  PORT: port(SERVICES[service].defaultPort),
  /** The hub's PostgreSQL database: set, the tokens are read from it (`hub_tokens`), not tokens.json. */
  READ_MODEL_URL: readModelUrl,
  /** Largest JSON body, bytes (413 beyond). */
  BODY_LIMIT: positive(4 * 1024 * 1024),
  /** Most events in one JSON batch (413 beyond). */
  MAX_BATCH: positive(1000),
  /** Largest CSV import, bytes. */
  IMPORT_BODY_LIMIT: positive(32 * 1024 * 1024),
  /** Most data rows in one CSV import. */
  IMPORT_MAX_ROWS: positive(50_000),
  /** Relay: publishes in flight at once. */
  RELAY_WINDOW: positive(1024),
  /** Relay: ack timeout, ms. */
  RELAY_ACK_TIMEOUT_MS: positive(5000),
  /**
   * Relay on a thread of its own (`true`, default) or on the requests' event loop (`false`):
   * the thread takes signing and publishing off the requests; on the loop a backlog drains with
   * less CPU (docs/decisions.md D52).
   */
  RELAY_THREAD: z.enum(['true', 'false']).default('true'),
  /** Reconciliation: time between two runs comparing the outbox with the stream, ms. */
  RECONCILE_INTERVAL_MS: positive(60_000),
  /**
   * Reconciliation: a record is checked (and confirmed) only once published this long ago, ms.
   * Longer than nats-server's flush interval (2 min without `sync_interval: always`), so that
   * what is confirmed was on the server's disk when it was read back.
   */
  RECONCILE_SETTLE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
  /** Reconciliation: most records checked, and most compacted, per run. */
  RECONCILE_BATCH: positive(20_000),
  /** Confirmed records keep their body this many hours, then are compacted (key kept). */
  OUTBOX_RETENTION_HOURS: z.coerce
    .number()
    .min(0)
    .default(7 * 24),
  /** Tolerated clock skew for "not in the future", ms. */
  FUTURE_SKEW_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
});

export type AgencyServiceConfig = z.output<z.ZodObject<ReturnType<typeof agencyServiceConfig>>>;
