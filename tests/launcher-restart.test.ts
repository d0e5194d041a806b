/**
 * The launcher restarts a service that died (here: SIGKILL), with a log line, and gives up after
 * repeated fast failures, as systemd's Restart=on-failure with a start limit would.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '@hub/testing';
import type { ServiceEvent } from '../services/hub/src/launcher/child-service.js';
import type { LocalHub } from '../services/hub/src/launcher/local-hub.js';
import { startTestLocalHub } from './local-hub-fixture.js';

describe('launcher restarts', () => {
  const data = tempDir('hub-restart-');
  const events: ServiceEvent[] = [];
  let hub: LocalHub;

  beforeAll(async () => {
    hub = await startTestLocalHub(data.path, {
      // Every death within ten minutes of starting is fast (a loaded machine starts slowly); the
      // second one ends the retries.
      restart: { initialDelayMs: 100, maxDelayMs: 500, fastFailureMs: 600_000, maxFastFailures: 2 },
      onServiceEvent: (e) => events.push(e),
    });
  }, 200_000);

  afterAll(async () => {
    await hub?.stop();
    data.remove();
  });

  it('restarts a killed service, says so, and it serves again', async () => {
    const svc = hub.services.find((s) => s.name === 'query-api')!;
    const before = svc.pid;
    process.kill(before, 'SIGKILL');
    await waitFor(async () => (svc.pid !== before && (await svc.waitHealthy(5_000)).ok ? true : undefined), {
      what: 'query-api restarted and healthy',
    });
    expect(events.map((e) => e.kind)).toEqual(['restarting', 'restarted']);
    expect(events[0]).toMatchObject({ service: 'query-api', exit: 'signal SIGKILL' });
    expect(readFileSync(svc.logFile, 'utf8')).toMatch(/exited \(signal SIGKILL\); restarting in \d+ ms/);
    expect((await fetch(`${hub.urls['query-api']}/healthz`)).status).toBe(200);
  });

  it('gives up after repeated fast failures, and says so', async () => {
    const svc = hub.services.find((s) => s.name === 'query-api')!;
    const pid = svc.pid;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => (events.at(-1)?.kind === 'gave-up' ? true : undefined), {
      what: `gave up after the second kill (pid ${pid}); events so far: ${JSON.stringify(events)}`,
    });
    await svc.exited;
    expect(events.at(-1)).toMatchObject({ kind: 'gave-up', service: 'query-api', fastFailures: 2 });
    expect(readFileSync(svc.logFile, 'utf8')).toContain('fast failures in a row, not restarting');
    // The others keep running.
    expect((await fetch(`${hub.urls['market-supervision']}/healthz`)).status).toBe(200);
  });
});
