/**
 * Decoding and checking messages (protobuf + zod) costs about as much as applying them; it can
 * run on a worker thread while the main thread writes SQLite: two cores, two stages. Off by
 * default (`PROJECTOR_DECODE_WORKER=true` turns it on): on a busy two-core machine the in-thread
 * path measured faster, the worker adding a copy and a JSON round trip (docs/projector.md). Results come back as one JSON string per chunk (cheaper to parse than to clone).
 * Without the built worker file (e.g. running from sources) it decodes in-thread.
 *
 * The same worker can check only the signatures (`createSignatureVerifier`): the main thread
 * still decodes, and the worker's answer is one verdict per message — the Ed25519 checks and
 * SHA-256 proofs, most of a signed event's extra cost, move to the other core for a copy of the
 * bytes and headers.
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
  /** Check the signatures only and answer `{ id, verdicts }` (SignatureVerifier). */
  verifyOnly?: boolean;
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

export const inThreadDecoder = (signatures?: SignatureCheck): Decoder => ({
  decode: (msgs) => Promise.resolve(msgs.map((m) => decodeStreamMessage(m, signatures))),
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

/** One worker and its requests in flight; a failure fails them all and every later one. */
function startWorker(file: string) {
  const worker = new Worker(file);
  worker.unref();
  let next = 0;
  let broken: Error | undefined;
  const waiting = new Map<number, { resolve: (m: unknown) => void; reject: (e: Error) => void }>();
  const fail = (err: Error) => {
    broken = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (m: { id: number }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.resolve(m);
  });
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('decode worker exited')));
  return {
    request<T>(build: (id: number) => { req: WorkerRequest; transfer: ArrayBuffer[] }): Promise<T> {
      if (broken) return Promise.reject(broken);
      const { req, transfer } = build(next++);
      return new Promise<T>((resolve, reject) => {
        waiting.set(req.id, { resolve: resolve as (m: unknown) => void, reject });
        worker.postMessage(req, transfer);
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** A chunk's bodies in one buffer (transferred rather than copied across threads) and their offsets. */
function packBodies(msgs: readonly StreamMessage[]): { buffer: ArrayBuffer; offsets: number[] } {
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
  return { buffer: bytes.buffer, offsets };
}

/** The signature fields of a request: each message's headers, and the keys when they changed. */
function signatureFields(msgs: readonly StreamMessage[], check: SignatureCheck, sent: { version: number }) {
  const version = check.registry.version();
  const fields: Pick<WorkerRequest, 'keyIds' | 'sigs' | 'signatures'> = {
    keyIds: msgs.map((m) => m.keyId ?? ''),
    sigs: msgs.map((m) => m.sig ?? ''),
    signatures: {
      allowUnsigned: check.allowUnsigned,
      ...(version !== sent.version ? { keys: check.registry.entries() } : {}),
    },
  };
  sent.version = version;
  return fields;
}

export function createDecoder(opts: { worker?: boolean; signatures?: SignatureCheck } = {}): Decoder {
  const file = opts.worker === false ? undefined : workerFile();
  if (!file) return inThreadDecoder(opts.signatures);
  const signatures = opts.signatures;
  const sent = { version: -1 };
  const worker = startWorker(file);
  return {
    async decode(msgs) {
      const reply = await worker.request<{ json: string }>((id) => {
        const { buffer, offsets } = packBodies(msgs);
        const req: WorkerRequest = {
          id,
          buffer,
          offsets,
          subjects: msgs.map((m) => m.subject),
          seqs: msgs.map((m) => m.seq),
          times: msgs.map((m) => m.time),
          ...(signatures ? signatureFields(msgs, signatures, sent) : {}),
        };
        return { req, transfer: [buffer] };
      });
      return JSON.parse(reply.json) as Decoded[];
    },
    close: () => worker.close(),
  };
}

/**
 * Checks signatures on a worker thread: for each message, null when its signature holds under
 * the keys the registry had when it was asked, else why not (KeyRegistry.check's answer, the
 * agency taken from the subject). Undefined without the built worker file.
 */
export interface SignatureVerifier {
  verify(msgs: readonly StreamMessage[]): Promise<(string | null)[]>;
  close(): Promise<void>;
}

export function createSignatureVerifier(check: SignatureCheck): SignatureVerifier | undefined {
  const file = workerFile();
  if (!file) return undefined;
  const sent = { version: -1 };
  const worker = startWorker(file);
  return {
    async verify(msgs) {
      const reply = await worker.request<{ verdicts: (string | null)[] }>((id) => {
        const { buffer, offsets } = packBodies(msgs);
        const req: WorkerRequest = {
          id,
          verifyOnly: true,
          buffer,
          offsets,
          subjects: msgs.map((m) => m.subject),
          seqs: [],
          times: msgs.map((m) => m.time),
          ...signatureFields(msgs, check, sent),
        };
        return { req, transfer: [buffer] };
      });
      return reply.verdicts;
    },
    close: () => worker.close(),
  };
}
