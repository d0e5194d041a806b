/**
 * Worker thread: decodes and checks chunks of stream messages, or (`verifyOnly`) checks only
 * their signatures and answers one verdict per message (see decoder.ts).
 */
import { parentPort } from 'node:worker_threads';
import { createKeyRegistry } from '@hub/platform';
import { decodeStreamMessage, type SignatureCheck } from './projection/decode.js';
import type { WorkerRequest } from './decoder.js';

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
  if (req.verifyOnly) {
    // The agency the subject names: the main thread refuses a message whose event names
    // another (agency_mismatch) before it looks at the verdict.
    const verdicts = req.subjects.map(
      (subject, i) =>
        signatures?.registry.check(
          subject.split('.', 3)[2] ?? '',
          bytes.subarray(req.offsets[i], req.offsets[i + 1]),
          req.keyIds?.[i] || undefined,
          req.sigs?.[i] || undefined,
          req.times[i]!,
        ) ?? null,
    );
    parentPort?.postMessage({ id: req.id, verdicts });
    return;
  }
  const out = req.seqs.map((seq, i) =>
    decodeStreamMessage(
      {
        seq,
        subject: req.subjects[i]!,
        time: req.times[i]!,
        data: bytes.subarray(req.offsets[i], req.offsets[i + 1]),
        keyId: req.keyIds?.[i] || undefined,
        sig: req.sigs?.[i] || undefined,
      },
      signatures,
    ),
  );
  parentPort?.postMessage({ id: req.id, json: JSON.stringify(out) });
});
