/**
 * The relay on a thread of its own (worker_threads): signing and publishing no longer share
 * the event loop with the requests. Same relay, same guarantees — it reads only rows the main
 * thread reported on disk, marks them on its own connection, and a crash of either loses
 * nothing (rows stay pending until marked; a second publish is dropped by its Nats-Msg-Id).
 * A thread that dies is started again after a second.
 *
 * @example
 * const relay = startRelayThread({ outbox, data, logger });
 * relay.stats().connected;
 * await relay.stop();
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '@hub/platform';
import type { Outbox } from '../outbox/outbox.js';
import type { Relay, RelayStats } from '../relay/relay.js';
import type { FromRelayThread, RelayThreadData, ToRelayThread } from './protocol.js';

const RESTART_MS = 1000;

export function startRelayThread(opts: {
  outbox: Outbox;
  data: Omit<RelayThreadData, 'durableBelow' | 'outboxPath'>;
  logger: Logger;
}): Relay {
  const { outbox, logger } = opts;
  let stats: RelayStats = { connected: false, inFlight: 0, published: 0, failures: 0, lastError: undefined };
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  let unlisten: (() => void) | undefined;
  let restart: NodeJS.Timeout | undefined;

  const send = (m: ToRelayThread) => worker?.postMessage(m);
  const spawn = () => {
    const w = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { ...opts.data, outboxPath: outbox.path, durableBelow: outbox.durableBelow() },
    });
    worker = w;
    w.on('message', (m: FromRelayThread) => (stats = m.stats));
    w.on('error', (err) => logger.error({ err }, 'relay thread failed'));
    exited = new Promise((resolve) =>
      w.once('exit', (code) => {
        if (worker === w) worker = undefined;
        stats = { ...stats, connected: false, inFlight: 0 };
        if (!stopping) {
          logger.error({ code }, 'relay thread stopped; starting it again');
          restart = setTimeout(spawn, RESTART_MS);
        }
        resolve();
      }),
    );
  };

  return {
    start() {
      if (worker || stopping) return;
      unlisten = outbox.onAppend(() => send({ type: 'durable', below: outbox.durableBelow() }));
      spawn();
    },
    async stop(graceMs = 2000) {
      stopping = true;
      unlisten?.();
      if (restart) clearTimeout(restart);
      send({ type: 'stop', graceMs });
      const w = worker;
      const kill = setTimeout(() => void w?.terminate(), graceMs + 5000);
      await exited;
      clearTimeout(kill);
    },
    stats: () => stats,
  };
}
