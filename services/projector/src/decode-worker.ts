/** Worker thread: decodes and checks chunks of stream messages (see decoder.ts). */
import { parentPort } from 'node:worker_threads';
import { decodeStreamMessage } from './projection/decode.js';
import type { WorkerRequest } from './decoder.js';

parentPort?.on('message', (req: WorkerRequest) => {
  const bytes = new Uint8Array(req.buffer);
  const out = req.seqs.map((seq, i) =>
    decodeStreamMessage({
      seq,
      subject: req.subjects[i]!,
      time: req.times[i]!,
      data: bytes.subarray(req.offsets[i], req.offsets[i + 1]),
    }),
  );
  parentPort?.postMessage({ id: req.id, json: JSON.stringify(out) });
});
