/** Worker thread: the PostgreSQL shipper (pg-shipper.ts) with its own pool, lock connection and SQLite connection. */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@hub/platform';
import { openPostgresReadModel } from '@hub/read-model';
import { createPgShipper } from './pg-shipper.js';
import type { PgWriterRequest, PgWriterWorkerData } from './pg-writer.js';

const data = workerData as PgWriterWorkerData;
const log = createLogger('projector', data.logLevel);
const db = await openPostgresReadModel({ url: data.url, max: 2, migrate: false });
const shipper = createPgShipper({
  dataDir: data.dataDir,
  db,
  url: data.url,
  log,
  lockPollMs: data.lockPollMs,
  passMs: data.passMs,
  vacuumAfterRows: data.vacuumAfterRows,
});
const report = () => parentPort?.postMessage({ type: 'status', status: shipper.status() });
const timer = setInterval(report, 200);
shipper.start();
report();

parentPort?.on('message', (req: PgWriterRequest) => {
  if (req.type === 'kick') shipper.kick();
  else if (req.type === 'idle') {
    void shipper.idle().then(() => {
      report();
      parentPort?.postMessage({ type: 'done', id: req.id });
    });
  } else if (req.type === 'stop') {
    clearInterval(timer);
    void (async () => {
      shipper.kick(); // the projector's last commit
      await shipper.idle();
      await shipper.stop();
      await db.destroy();
      report();
      parentPort?.postMessage({ type: 'done', id: req.id });
    })();
  }
});
