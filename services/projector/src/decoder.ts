/**
 * Decoding and checking messages (protobuf + zod) costs about as much as applying them; it can
 * run on a worker thread while the main thread writes SQLite: two cores, two stages. Off by
 * default (`PROJECTOR_DECODE_WORKER=true` turns it on): on a busy two-core machine the in-thread
 * path measured faster, the worker adding a copy and a JSON round trip (docs/projector.md). Results come back as one JSON string per chunk (cheaper to parse than to clone).
 * Without the built worker file (e.g. running from sources) it decodes in-thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { KeyRegistryEntry } from '@hub/platform';
import {
  decodeStreamMessage,
  type Decoded,
  type SignatureCheck,
  type StreamMessage,
} from './projection/decode.js';

export interface Decoder {
  decode(msgs: readonly StreamMessage[]): Promise<Decoded[]>;
  close(): Promise<void>;
  /** True when decoding happens in this thread (no built worker file, or not asked for). */
  readonly inThread?: boolean;
}

export interface WorkerRequest {
  id: number;
  buffer: ArrayBuffer;
  offsets: number[];
  subjects: string[];
  seqs: number[];
  times: string[];
  /** Signature headers per message (empty string: none), when signatures are checked. */
  keyIds?: string[];
  sigs?: string[];
  /** Signature checking: the keys when they changed since the last request. */
  signatures?: { allowUnsigned: boolean; keys?: KeyRegistryEntry[] };
}

/** Decides each message (its batch signatures proven tree by tree first, when checked). */
export function decodeSlice(msgs: readonly StreamMessage[], signatures?: SignatureCheck): Decoded[] {
  const proven = signatures?.registry.precheck(msgs);
  return msgs.map((m) => decodeStreamMessage(m, signatures, proven));
}

export const inThreadDecoder = (signatures?: SignatureCheck): Decoder => ({
  decode: (msgs) => Promise.resolve(decodeSlice(msgs, signatures)),
  close: () => Promise.resolve(),
  inThread: true,
});

function workerFile(): string | undefined {
  // From dist/ the worker sits beside this file; from src/ (vitest) use the built one.
  const here = fileURLToPath(import.meta.url);
  const candidate = here.endsWith('.ts')
    ? here.replace(/\/src\/decoder\.ts$/, '/dist/decode-worker.js')
    : here.replace(/decoder\.js$/, 'decode-worker.js');
  return existsSync(candidate) ? candidate : undefined;
}

export function createDecoder(opts: { worker?: boolean; signatures?: SignatureCheck } = {}): Decoder {
  const file = opts.worker === false ? undefined : workerFile();
  if (!file) return inThreadDecoder(opts.signatures);
  const signatures = opts.signatures;
  let sentVersion = -1;
  const worker = new Worker(file);
  worker.unref();
  let next = 0;
  let broken: Error | undefined;
  const waiting = new Map<number, { resolve: (d: Decoded[]) => void; reject: (e: Error) => void }>();
  const fail = (err: Error) => {
    broken = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; json: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.resolve(JSON.parse(m.json) as Decoded[]);
  });
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('decode worker exited')));
  return {
    decode(msgs) {
      if (broken) return Promise.reject(broken);
      // One buffer for the chunk, transferred rather than copied across threads.
      const total = msgs.reduce((n, m) => n + m.data.byteLength, 0);
      const bytes = new Uint8Array(total);
      const offsets: number[] = [];
      let at = 0;
      for (const m of msgs) {
        bytes.set(m.data, at);
        offsets.push(at);
        at += m.data.byteLength;
      }
      offsets.push(at);
      const id = next++;
      const req: WorkerRequest = {
        id,
        buffer: bytes.buffer,
        offsets,
        subjects: msgs.map((m) => m.subject),
        seqs: msgs.map((m) => m.seq),
        times: msgs.map((m) => m.time),
      };
      if (signatures) {
        req.keyIds = msgs.map((m) => m.keyId ?? '');
        req.sigs = msgs.map((m) => m.sig ?? '');
        const version = signatures.registry.version();
        req.signatures = {
          allowUnsigned: signatures.allowUnsigned,
          ...(version !== sentVersion ? { keys: signatures.registry.entries() } : {}),
        };
        sentVersion = version;
      }
      return new Promise<Decoded[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage(req, [bytes.buffer]);
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
