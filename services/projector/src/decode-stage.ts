/**
 * The decode stage: turns slices of stream messages into batch items (each message with its
 * decoded event or its rejection), in stream order, in this thread or on a worker
 * (`decodeInWorker`). Trust nothing read from the stream: every check of a message happens in
 * `decodeStreamMessage` (projection/decode.ts), the one place a message becomes a HubEvent.
 *
 * @example
 * const stage = createDecodeStage({ onItems: (items, more) => committer.add(items, more), onError });
 * stage.push(msgs, more);
 */
import type { BatchItem } from './batch.js';
import { createDecoder, decodeSlice, inThreadDecoder, type Decoder } from './decoder.js';
import { decodeStreamMessage, type SignatureCheck, type StreamMessage } from './projection/decode.js';

export interface DecodeStageOptions {
  /** Decoded items in stream order; `more` as the consumer said for the slice. */
  onItems(items: BatchItem[], more: boolean): void;
  /** The worker failed: nothing after this is passed on. */
  onError(err: unknown): void;
  /** Decode on a worker thread (two cores, two stages). @default false */
  worker?: boolean;
  /**
   * Check signatures (one call in `decodeStreamMessage`). `sync` brings the keys up to the
   * round's newest stream time (key-sync.ts; `catchingUp` when the consumer said more waits);
   * after it, a slice decided with older keys is decided again with the new ones, as a replay
   * would decide it (a key registered or revoked just before an event counts).
   */
  signatures?: {
    check: SignatureCheck;
    sync: (newest: string, catchingUp: boolean) => Promise<boolean>;
  };
}

export interface DecodeStage {
  push(msgs: readonly StreamMessage[], more: boolean): void;
  /** Messages pushed and not passed on yet. */
  pending(): number;
  /** Resolves when everything pushed so far has been passed on. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createDecodeStage(opts: DecodeStageOptions): DecodeStage {
  const check = opts.signatures?.check;
  const decoder: Decoder | undefined = opts.worker
    ? createDecoder({ worker: true, ...(check ? { signatures: check } : {}) })
    : check
      ? inThreadDecoder(check)
      : undefined;
  // In this thread decoding is synchronous: items go on in the same turn, nothing is queued.
  // (With signatures the key stream is looked at after each slice: the queued path below.)
  if (!decoder || (decoder.inThread === true && !opts.signatures)) {
    return {
      push(msgs, more) {
        if (msgs.length === 0) return;
        opts.onItems(
          msgs.map((msg) => ({ msg, decoded: decodeStreamMessage(msg) })),
          more,
        );
      },
      pending: () => 0,
      idle: () => Promise.resolve(),
      close: () => decoder?.close() ?? Promise.resolve(),
    };
  }
  let queued = 0;
  let failed = false;
  let tail: Promise<void> = Promise.resolve();
  // Slices pushed and not taken yet. Each turn of the chain takes all of them: one key-stream
  // look-up (a NATS round trip) serves every slice that came while the previous one was out,
  // so live load makes the rounds bigger instead of queueing a round trip per slice.
  // Each slice is decided with the keys of its push (`version`); one decided before the keys
  // last changed is decided again, even when this round's look-up found nothing new.
  let waiting: {
    msgs: readonly StreamMessage[];
    decoded: ReturnType<Decoder['decode']>;
    more: boolean;
    version: number | undefined;
  }[] = [];
  return {
    push(msgs, more) {
      if (msgs.length === 0 || failed) return;
      waiting.push({ msgs, decoded: decoder.decode(msgs), more, version: check?.registry.version() });
      queued += msgs.length;
      // Chained: results are passed on in the order the slices came, whatever the worker does.
      tail = tail.then(async () => {
        if (failed || waiting.length === 0) return; // an earlier turn took this slice
        const round = waiting;
        waiting = [];
        try {
          const all = round.length === 1 ? round[0]!.msgs : round.flatMap((r) => r.msgs);
          let out = (await Promise.all(round.map((r) => r.decoded))).flat();
          // Asked after every message of the round was received: a key registered or revoked
          // before any of them is known when they are decided.
          if (opts.signatures) {
            let newest = '';
            for (const m of all) if (m.time > newest) newest = m.time;
            await opts.signatures.sync(newest, round[round.length - 1]!.more);
            const version = check?.registry.version();
            if (round.some((r) => r.version !== version)) out = decodeSlice(all, check);
          }
          queued -= all.length;
          opts.onItems(
            all.map((msg, i) => ({ msg, decoded: out[i] })),
            round[round.length - 1]!.more,
          );
        } catch (err) {
          failed = true;
          opts.onError(err);
        }
      });
    },
    pending: () => queued,
    idle: () => tail,
    close: () => decoder.close(),
  };
}
