/** Worker thread: decodes and checks chunks of stream messages (see decoder.ts). */
import { parentPort } from 'node:worker_threads';
import { createKeyRegistry } from '@hub/platform';
import type { SignatureCheck } from './projection/decode.js';
import { decodeSlice, type WorkerRequest } from './decoder.js';

// The worker's copy of the registered keys, replaced when the main thread sends new ones.
let signatures: SignatureCheck | undefined;

parentPort?.on('message', (req: WorkerRequest) => {
  const bytes = new Uint8Array(req.buffer);
  if (req.signatures === undefined) signatures = undefined;
  else if (req.signatures.keys !== undefined || signatures === undefined)
    signatures = {
      registry: createKeyRegistry(req.signatures.keys ?? []),
      allowUnsigned: req.signatures.allowUnsigned,
    };
  const msgs = req.seqs.map((seq, i) => ({
    seq,
    subject: req.subjects[i]!,
    time: req.times[i]!,
    data: bytes.subarray(req.offsets[i], req.offsets[i + 1]),
    keyId: req.keyIds?.[i] || undefined,
    sig: req.sigs?.[i] || undefined,
  }));
  const out = decodeSlice(msgs, signatures);
  parentPort?.postMessage({ id: req.id, json: JSON.stringify(out) });
});
