/**
 * One projector catch-up in a process of its own — a fresh heap and JIT, nothing left over from
 * what the scenario did before — as the projector service runs: `createProjector` (mode
 * `rebuild`) from sequence 1 into a new read model until the stream's last event.
 *
 *   node bench/dist/lib/catchup-main.js <nats-url> <signatures: off|required> <events>
 *
 * Prints one JSON line: the milliseconds from start to caught up, the last applied sequence, the
 * dead letters, and the process's CPU time per event (µs).
 */
import { join } from 'node:path';
import { createProjector, type SignaturePolicy } from '@hub/projector';
import { tempDir } from '@hub/testing';
import { connectFast } from './nats.js';

export interface CatchUpResult {
  ms: number;
  appliedSeq: number;
  deadLetters: number;
  cpuMicrosPerEvent: number;
}

const [url, signatures, events] = process.argv.slice(2);
if (url === undefined || (signatures !== 'off' && signatures !== 'required') || !Number(events)) {
  process.stderr.write('usage: catchup-main.js <nats-url> <off|required> <events>\n');
  process.exit(2);
}
const nc = await connectFast(url);
const dir = tempDir('hub-bench-catchup-');
try {
  const projector = createProjector({
    nc,
    readModelPath: join(dir.path, 'read-model.sqlite'),
    mode: 'rebuild',
    signatures: signatures satisfies SignaturePolicy,
  });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await projector.start();
  await projector.catchUp();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const stats = projector.stats();
  await projector.stop();
  const result: CatchUpResult = {
    ms,
    appliedSeq: stats.appliedSeq,
    deadLetters: stats.deadLetters,
    cpuMicrosPerEvent: (used.user + used.system) / Number(events),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await nc.close();
  dir.remove();
}
