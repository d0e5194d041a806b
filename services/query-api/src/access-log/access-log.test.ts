import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '@hub/testing';
import { openAccessLog, type AccessRecord } from './access-log.js';

const read = (uscc: string, status = 200): AccessRecord => ({
  tokenId: 'tok_1',
  subject: '执委会办公室',
  roles: ['committee'],
  uscc,
  resource: 'history',
  query: 'limit=10',
  status,
});

describe('access log (real SQLite file)', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it('has every row of reads recorded together once their promises resolve', async () => {
    dir = tempDir('hub-access-log-');
    const path = join(dir.path, 'access-log.sqlite');
    const log = openAccessLog({ path, now: () => new Date('2026-03-02T00:00:00Z') });
    await Promise.all(['A', 'B', 'C'].map((u) => log.record(read(u))));
    // Another connection sees them: they are committed.
    const other = openAccessLog({ path });
    const { entries } = await other.list({ limit: 10 });
    expect(entries.map((e) => e.uscc)).toEqual(['C', 'B', 'A']);
    expect(entries[0]).toMatchObject({
      tokenId: 'tok_1',
      roles: ['committee'],
      at: '2026-03-02T00:00:00.000Z',
    });
    await other.close();
    await log.close();
  });

  it('keeps a recorded row when the process is killed right after', async () => {
    dir = tempDir('hub-access-log-kill-');
    const path = join(dir.path, 'access-log.sqlite');
    const module = fileURLToPath(new URL('../../dist/access-log/access-log.js', import.meta.url));
    // The child records, says so, and is killed (SIGKILL) before it can close anything.
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openAccessLog } = await import(${JSON.stringify(module)});
         const log = openAccessLog({ path: ${JSON.stringify(path)} });
         await log.record(${JSON.stringify(read('K'))});
         process.kill(process.pid, 'SIGKILL');`,
      ],
      { encoding: 'utf8' },
    );
    expect(child.signal).toBe('SIGKILL');
    const log = openAccessLog({ path });
    expect((await log.list({ limit: 10 })).entries.map((e) => e.uscc)).toEqual(['K']);
    await log.close();
  });
});
