/**
 * `hub dlq retry <seq>`: reads the message at that stream sequence again and applies it
 * with the current code (e.g. after a fix, or once a correction's target has arrived).
 * Success removes the dead letter; another failure counts a retry and keeps it.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM, HubError } from '@hub/domain';
import {
  createKeyRegistry,
  KEY_ID_HEADER,
  loadKeyRegistry,
  signatureClaim,
  type Logger,
} from '@hub/platform';
import {
  createReadModelStore,
  DLQ_RETRIES_META,
  type ReadModelStore,
  type Row,
  openReadModelFile,
} from '@hub/read-model';
import { acquireWriterLock } from './writer-lock.js';
import { createBatchState } from './projection/batch-state.js';
import { applyMessage } from './projection/apply.js';
import { decodeStreamMessage, type SignatureCheck } from './projection/decode.js';

export interface RetryResult {
  seq: number;
  outcome: 'applied' | 'duplicate' | 'dead';
  /** The dead letter as it stands after a failed retry. */
  deadLetter?: Row<'dead_letters'> | undefined;
}

export async function retryDeadLetter(opts: {
  nc: NatsConnection;
  store: ReadModelStore;
  seq: number;
  log: Logger;
  /** As the projector checks them (see ProjectorOptions.signatures). */
  signatures?: SignatureCheck | undefined;
}): Promise<RetryResult> {
  const { store, seq } = opts;
  const existing = store.get('dead_letters', { seq });
  if (!existing) {
    throw new HubError('NOT_FOUND', `没有序号为 ${seq} 的死信 (no dead letter at stream sequence ${seq})`);
  }
  const jsm = await jetstreamManager(opts.nc);
  const msg = await jsm.streams.getMessage(EVENTS_STREAM, { seq });
  if (!msg)
    throw new HubError('NOT_FOUND', `流中没有序号 ${seq} 的消息 (no message at stream sequence ${seq})`);
  const streamMessage = {
    seq,
    subject: msg.subject,
    data: msg.data,
    time: msg.time.toISOString(),
    keyId: msg.header?.get(KEY_ID_HEADER) || undefined,
    sig: signatureClaim(msg.header),
  };
  if (opts.signatures) await loadKeyRegistry(opts.nc, opts.signatures.registry).catch(() => undefined);
  const decoded = decodeStreamMessage(streamMessage, opts.signatures);
  return store.transaction(() => {
    const state = createBatchState();
    const outcome = applyMessage(store, state, streamMessage, decoded);
    if (outcome.kind !== 'dead') store.remove('dead_letters', { seq });
    // State the stream cannot give again: counted, so a standby over the same PostgreSQL read
    // model knows its working copy lacks it (pg/reseed.ts).
    store.setMeta(DLQ_RETRIES_META, String(Number(store.getMeta(DLQ_RETRIES_META) ?? 0) + 1));
    if (existing.uscc) state.touchBusiness(existing.uscc);
    state.flush(store);
    opts.log.info({ seq, outcome: outcome.kind }, 'dead letter retried');
    return {
      seq,
      outcome: outcome.kind,
      deadLetter: outcome.kind === 'dead' ? store.get('dead_letters', { seq }) : undefined,
    };
  });
}

/**
 * Retries a dead letter with no projector running: takes the writer lock of the file
 * itself (so it refuses while a projector writes it). No DLQ notification is published.
 */
export async function retryDeadLetterInFile(opts: {
  nc: NatsConnection;
  path: string;
  seq: number;
  log: Logger;
  /** As the projector service checks them. @default 'off' */
  signatures?: 'required' | 'allow-unsigned' | 'off' | undefined;
}): Promise<RetryResult> {
  const signatures: SignatureCheck | undefined =
    (opts.signatures ?? 'off') === 'off'
      ? undefined
      : { registry: createKeyRegistry(), allowUnsigned: opts.signatures === 'allow-unsigned' };
  const { sqlite, db } = await openReadModelFile(opts.path);
  try {
    const lock = acquireWriterLock(sqlite, opts.path);
    try {
      return await retryDeadLetter({ ...opts, signatures, store: createReadModelStore(sqlite, db) });
    } finally {
      lock.release();
    }
  } finally {
    sqlite.close();
  }
}
