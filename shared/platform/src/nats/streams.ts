import {
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  ALERTS_STREAM,
  ALERTS_SUBJECTS,
  DLQ_STREAM,
  DLQ_SUBJECTS,
  EVENTS_STREAM,
  EVENTS_SUBJECTS,
} from '@hub/domain';

/** How long JetStream remembers a Nats-Msg-Id; beyond it the projector's event-id check holds. */
export const DEDUP_WINDOW_NS = 24 * 60 * 60 * 1e9;

/**
 * The hub's streams. They are the system of record: file storage, kept forever, messages
 * never deleted or purged. Replicas are 1 locally; production (deploy/) runs R3.
 */
export function streamDefinitions(replicas = 1): (Partial<StreamConfig> & { name: string })[] {
  const common: Partial<StreamConfig> = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: 0,
    max_msgs: -1,
    max_bytes: -1,
    deny_delete: true,
    deny_purge: true,
    allow_rollup_hdrs: false,
    num_replicas: replicas,
  };
  return [
    {
      ...common,
      name: EVENTS_STREAM,
      subjects: [EVENTS_SUBJECTS],
      duplicate_window: DEDUP_WINDOW_NS,
      description: '执法事件 — enforcement events, the system of record',
    },
    {
      ...common,
      name: ALERTS_STREAM,
      subjects: [ALERTS_SUBJECTS],
      // Deliveries carry Nats-Msg-Id <alertId>/<agency>: a projector that crashed between publish
      // and marking the delivery may resend after a long outage, and must not double it.
      duplicate_window: DEDUP_WINDOW_NS,
      description: '预警 — alert notifications',
    },
    {
      ...common,
      name: DLQ_STREAM,
      subjects: [DLQ_SUBJECTS],
      description: '死信 — events the projector refused',
    },
  ];
}

/** Creates the streams, or updates them to the definitions; safe to call at every start. */
export async function ensureStreams(nc: NatsConnection, replicas = 1): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  for (const def of streamDefinitions(replicas)) {
    const name = def.name;
    try {
      const info = await jsm.streams.info(name);
      // Keep the replica count an operator chose for a cluster (R3); the rest is ours.
      await jsm.streams.update(name, { ...def, num_replicas: info.config.num_replicas });
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      await jsm.streams.add(def);
    }
  }
  return jsm;
}

export interface AppliedStream {
  name: string;
  action: 'created' | 'updated';
  /** Replicas before (undefined when created) and after. */
  replicasBefore: number | undefined;
  replicas: number;
}

/**
 * The operator's `hub streams apply`: creates the streams, or updates them to the definitions
 * with `replicas` (scaling an R1 stream to R3 on a cluster, where JetStream copies what it holds
 * to the new replicas). Needs stream-admin rights (the `admin` user of deploy/nats).
 *
 * @example
 * await applyStreams(nc, { replicas: 3 }); // 3-node cluster
 */
export async function applyStreams(
  nc: NatsConnection,
  opts: { replicas?: number } = {},
): Promise<AppliedStream[]> {
  const jsm = await jetstreamManager(nc);
  const applied: AppliedStream[] = [];
  for (const def of streamDefinitions(opts.replicas ?? 1)) {
    let before: number | undefined;
    try {
      before = (await jsm.streams.info(def.name)).config.num_replicas;
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
    const replicas = opts.replicas ?? before ?? 1;
    if (before === undefined) await jsm.streams.add({ ...def, num_replicas: replicas });
    else await jsm.streams.update(def.name, { ...def, num_replicas: replicas });
    applied.push({
      name: def.name,
      action: before === undefined ? 'created' : 'updated',
      replicasBefore: before,
      replicas,
    });
  }
  return applied;
}

function isStreamNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e.api_error?.err_code === 10059 || /stream not found/i.test(e.message ?? '');
}
