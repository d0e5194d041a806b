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
  HubError,
} from '@hub/domain';
import type { Logger } from '../logger.js';
import { KEYS_STREAM, KEYS_SUBJECTS } from '../signing/signing.js';

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
      name: KEYS_STREAM,
      subjects: [KEYS_SUBJECTS],
      duplicate_window: DEDUP_WINDOW_NS,
      description: "签名公钥 — agencies' public keys, registered and revoked by the committee office",
    },
    {
      ...common,
      name: DLQ_STREAM,
      subjects: [DLQ_SUBJECTS],
      // Notices carry Nats-Msg-Id dlq-<seq>-<retry>; the projector also records what it sent.
      duplicate_window: DEDUP_WINDOW_NS,
      description: '死信 — events the projector refused',
    },
  ];
}

export interface ApplyStreamsOptions {
  /** Replicas for streams created now; an existing stream keeps its count. @default 1 */
  replicas?: number;
  /**
   * Bring existing streams to `replicas` too (`hub streams apply --replicas 3` scaling R1 to R3
   * on a cluster; JetStream copies what a stream holds to its new replicas). @default false
   */
  scaleReplicas?: boolean;
  /** Only these streams (a publisher needs ENF_EVENTS alone). @default all */
  streams?: readonly string[];
}

export interface StreamChange {
  name: string;
  action: 'created' | 'updated' | 'unchanged';
  /** The settings that differed, for `updated`. */
  changed?: string[];
}

/**
 * Creates the streams, or updates those whose settings differ from the definitions; safe to
 * call at every start. A stream already as defined is left alone, so an identity that may
 * only look streams up (every service in deploy/) passes without error.
 */
export async function applyStreams(
  nc: NatsConnection,
  opts: ApplyStreamsOptions = {},
): Promise<{ jsm: JetStreamManager; changes: StreamChange[] }> {
  const jsm = await jetstreamManager(nc);
  const changes: StreamChange[] = [];
  const defs = streamDefinitions(opts.replicas ?? 1).filter((d) => opts.streams?.includes(d.name) ?? true);
  for (const def of defs) {
    const name = def.name;
    let current: Partial<StreamConfig> | undefined;
    try {
      current = (await jsm.streams.info(name)).config;
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
    if (current === undefined) {
      await jsm.streams.add(def);
      changes.push({ name, action: 'created' });
      continue;
    }
    // Keep the replica count an operator chose for a cluster (R3); the rest is ours.
    const wanted: Partial<StreamConfig> = {
      ...def,
      num_replicas: opts.scaleReplicas ? def.num_replicas : current.num_replicas,
    };
    const changed = (Object.keys(wanted) as (keyof StreamConfig)[]).filter(
      (k) => JSON.stringify(wanted[k] ?? null) !== JSON.stringify(current[k] ?? null),
    );
    if (changed.length === 0) {
      changes.push({ name, action: 'unchanged' });
      continue;
    }
    await jsm.streams.update(name, wanted);
    changes.push({ name, action: 'updated', changed });
  }
  return { jsm, changes };
}

/** Creates or updates the streams (see applyStreams). */
export async function ensureStreams(nc: NatsConnection, replicas = 1): Promise<JetStreamManager> {
  return (await applyStreams(nc, { replicas })).jsm;
}

/**
 * For services: apply the stream definitions when this identity may, otherwise check that the
 * streams exist and carry on (an operator runs `hub streams apply` with the admin identity).
 * Missing streams are an error naming that command.
 */
export async function ensureStreamsOrWarn(
  nc: NatsConnection,
  log: Logger,
  streams: readonly string[] = streamDefinitions().map((d) => d.name),
): Promise<void> {
  try {
    await applyStreams(nc, { streams });
    return;
  } catch (err) {
    if (!isPermissionError(err)) throw err;
    log.warn(
      { err: { message: (err as Error).message } },
      '无权更新流，假定已由管理员创建 (may not manage streams; assuming an operator created them: hub streams apply)',
    );
  }
  const jsm = await jetstreamManager(nc);
  for (const name of streams) {
    try {
      await jsm.streams.info(name);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      throw new HubError(
        'NATS_UNAVAILABLE',
        `流 ${name} 不存在，且本身份无权创建 (stream ${name} does not exist and this identity may not create it): ` +
          '请以管理员身份运行 hub streams apply (run hub streams apply with the admin credentials)',
      );
    }
  }
}

export function isPermissionError(err: unknown): boolean {
  const e = err as { message?: string; name?: string };
  return e?.name === 'PermissionViolationError' || /permissions? violation/i.test(e?.message ?? '');
}

function isStreamNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e.api_error?.err_code === 10059 || /stream not found/i.test(e.message ?? '');
}
