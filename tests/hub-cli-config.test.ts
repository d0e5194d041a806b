/**
 * The `hub` command line reads one configuration the same way in every command: the ports that
 * move the services, NATS_PORT / NATS_URL, the data folder; and when something is not there it
 * says what, where and which variable to set — in Chinese and English, without a stack trace.
 * Real processes, a real nats-server, a real agency service over HTTP.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '@hub/platform';
import { openReadModelFile, readModelDir } from '@hub/read-model';
import { freePort, startTestNats, tempDir, type TestNats } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION } from './agency-fixtures.js';

const HUB_CLI = fileURLToPath(new URL('../services/hub/dist/main.js', import.meta.url));
const SAMPLE = fileURLToPath(
  new URL('../services/market-supervision/samples/gsj-random-inspection.csv', import.meta.url),
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `hub …` with only the variables given (plus PATH), never the developer's own. */
const hub = (args: string[], env: Record<string, string>): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [HUB_CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** No JavaScript stack frames and no raw fetch errors in what a person reads. */
const expectNoStack = (r: Run) => {
  expect(r.stderr + r.stdout).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
  expect(r.stderr).not.toContain('TypeError');
};

describe('hub CLI: one configuration for every command', () => {
  const data = tempDir('hub-cli-config-');
  let nats: TestNats;
  let service: AgencyService;
  let servicePort: number;
  let token: string;

  beforeAll(async () => {
    nats = await startTestNats();
    servicePort = await freePort();
    ({ service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
      port: servicePort,
    }));
    token = issueToken(data.path, { name: 'cli test', scopes: ['ingest:GSJ'] }).token;
  }, 300_000);
  afterAll(async () => {
    await service?.close();
    await nats?.stop();
    data.remove();
  }, 300_000);

  it('hub import sends to the port MARKET_SUPERVISION_PORT names, with the token from HUB_TOKEN', async () => {
    const r = await hub(['import', '--agency', 'GSJ', SAMPLE], {
      MARKET_SUPERVISION_PORT: String(servicePort),
      HUB_TOKEN: token,
      HUB_DATA_DIR: data.path,
    });
    expect(r.stderr + r.stdout).toContain('接受 accepted 3');
    expect(r.code).toBe(0);
  }, 300_000);

  it('hub import names the URL and the variable when the service is not there', async () => {
    const nothing = await freePort();
    const r = await hub(['import', '--agency', 'GSJ', SAMPLE], {
      MARKET_SUPERVISION_PORT: String(nothing),
      HUB_TOKEN: token,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SERVICE_UNAVAILABLE');
    expect(r.stderr).toContain(`127.0.0.1:${nothing}`);
    expect(r.stderr).toContain('MARKET_SUPERVISION_PORT');
    expect(r.stderr).toContain('无法连接');
    expectNoStack(r);
  }, 300_000);

  it('verify, dlq retry, replay and rebuild reach NATS on NATS_PORT', async () => {
    const port = new URL(nats.url).port;
    const empty = tempDir('hub-cli-empty-');
    try {
      // NATS is reached; what is missing is the read model — so the port was honoured.
      const verify = await hub(['verify'], { NATS_PORT: port, HUB_DATA_DIR: empty.path });
      expect(verify.stderr).toContain('NOT_FOUND');
      expect(verify.stderr).not.toContain('NATS_UNAVAILABLE');
      const retry = await hub(['dlq', 'retry', '1'], { NATS_PORT: port, HUB_DATA_DIR: empty.path });
      expect(retry.stderr).not.toContain('NATS_UNAVAILABLE');
      const replay = await hub(['replay', '--until', '1', '--out', join(empty.path, 'replay.sqlite')], {
        NATS_PORT: port,
        HUB_DATA_DIR: empty.path,
      });
      expect(replay.stderr).not.toContain('NATS_UNAVAILABLE');
      expect(replay.code).toBe(0);
    } finally {
      empty.remove();
    }
  }, 300_000);

  it('says which NATS it tried and from which variable, for every NATS command', async () => {
    const nothing = String(await freePort());
    for (const args of [
      ['verify'],
      ['rebuild'],
      ['dlq', 'retry', '1'],
      ['replay', '--until', '1', '--out', 'x'],
    ]) {
      const r = await hub(args, { NATS_PORT: nothing, HUB_DATA_DIR: data.path });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('NATS_UNAVAILABLE');
      expect(r.stderr, args.join(' ')).toContain(`NATS_PORT=${nothing}`);
      expectNoStack(r);
    }
    const viaUrl = await hub(['verify'], { NATS_URL: `nats://127.0.0.1:${nothing}` });
    expect(viaUrl.stderr).toContain('NATS_URL');
  }, 300_000);
});

describe('hub start with a taken HTTP port', () => {
  let blocker: Server;
  let taken: number;
  const data = tempDir('hub-cli-port-');

  beforeAll(async () => {
    taken = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(taken, '127.0.0.1', r));
  }, 300_000);
  afterAll(async () => {
    await new Promise((r) => blocker.close(r));
    data.remove();
  }, 300_000);

  it('names the port and the variable that moves it, and starts nothing', async () => {
    const env: Record<string, string> = { HUB_DATA_DIR: data.path, NATS_PORT: String(await freePort()) };
    for (const v of [
      'MARKET_SUPERVISION_PORT',
      'URBAN_CONSTRUCTION_PORT',
      'PUBLIC_SAFETY_PORT',
      'PROJECTOR_PORT',
    ])
      env[v] = String(await freePort());
    env.QUERY_API_PORT = String(taken);
    const r = await hub(['start'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`127.0.0.1:${taken}`);
    expect(r.stderr).toContain('QUERY_API_PORT');
    expect(r.stderr).toContain('已被占用');
    expectNoStack(r);
  }, 300_000);
});

describe('hub CLI text', () => {
  it('help is in Chinese and English, --data-dir described once, start lists the port variables', async () => {
    const top = await hub(['--help'], {});
    expect(top.stdout).toContain('用法 Usage:');
    expect(top.stdout).toContain('显示帮助 (display help)');
    expect(top.stdout).not.toMatch(/^\s+-h, --help\s+display help for command$/m);
    const start = await hub(['start', '--help'], {});
    for (const v of [
      'NATS_PORT',
      'QUERY_API_PORT',
      'MARKET_SUPERVISION_PORT',
      'URBAN_CONSTRUCTION_PORT',
      'PUBLIC_SAFETY_PORT',
      'PROJECTOR_PORT',
    ])
      expect(start.stdout).toContain(v);
    for (const cmd of [['start'], ['import'], ['token', 'issue'], ['token', 'list'], ['verify']]) {
      const help = await hub([...cmd, '--help'], {});
      expect(help.stdout.match(/--data-dir <dir>/g), cmd.join(' ')).toHaveLength(1);
    }
  }, 300_000);

  it('dlq list --json is camelCase like the HTTP APIs; token list has a header', async () => {
    const data = tempDir('hub-cli-text-');
    try {
      mkdirSync(readModelDir(data.path), { recursive: true });
      const { db, sqlite } = await openReadModelFile(join(readModelDir(data.path), 'read-model.sqlite'));
      await db
        .insertInto('dead_letters')
        .values({
          seq: 7,
          subject: 'enf.evt.GSJ.inspectionCompleted.x',
          reason: 'undecodable',
          detail: 'bad bytes',
          event_id: null,
          uscc: null,
          agency: 'GSJ',
          stream_time: '2026-03-01T00:00:00.000Z',
          retried: 0,
        })
        .execute();
      sqlite.close();
      const list = await hub(['dlq', 'list', '--json', '--data-dir', data.path], {});
      const rows = JSON.parse(list.stdout) as Record<string, unknown>[];
      expect(rows[0]).toMatchObject({ seq: 7, eventId: null, streamTime: '2026-03-01T00:00:00.000Z' });
      expect(Object.keys(rows[0]!).filter((k) => k.includes('_'))).toEqual([]);

      issueToken(data.path, { name: '执委会办公室', scopes: ['committee'] });
      const tokens = await hub(['token', 'list'], { HUB_DATA_DIR: data.path });
      expect(tokens.stdout.split('\n')[0]).toMatch(/编号 id.*持有者 name.*权限 scopes/);
    } finally {
      data.remove();
    }
  }, 300_000);
});
