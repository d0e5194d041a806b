/** Messages between the service's main thread and its relay thread. */
import type { NatsOptions } from '@hub/platform';
import type { RelayStats } from '../relay/relay.js';

export interface RelayThreadData {
  readonly outboxPath: string;
  /** `Outbox.durableBelow()` when the thread starts. */
  readonly durableBelow: number;
  readonly nats: NatsOptions;
  readonly dataDir: string;
  /** Agencies whose keys sign (the service's departments and the finance bureau); null: unsigned. */
  readonly signers: readonly string[] | null;
  readonly service: string;
  readonly logLevel: string;
  readonly window?: number | undefined;
  readonly ackTimeoutMs?: number | undefined;
}

export type ToRelayThread = { type: 'durable'; below: number } | { type: 'stop'; graceMs: number };

export type FromRelayThread = { type: 'stats'; stats: RelayStats } | { type: 'stopped'; stats: RelayStats };
