/** `hub token issue|revoke`: the token works over HTTP until revoked, and only for its agency. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTokens } from '@hub/platform';
import { sampleInspectionCompleted, tempDir } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, postJson } from './agency-fixtures.js';

const HUB_CLI = fileURLToPath(new URL('../services/hub/dist/main.js', import.meta.url));
const run = promisify(execFile);

describe('hub token', () => {
  const data = tempDir('hub-token-cli-');
  let service: AgencyService;
  let url: string;

  beforeAll(async () => {
    // No NATS needed: the outbox takes the records.
    ({ url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: 'nats://127.0.0.1:1',
      relay: false,
    }));
  });
  afterAll(async () => {
    await service?.close();
    data.remove();
  });

  it('issues a scoped token that a running service accepts, and revokes it', async () => {
    const issued = await run(process.execPath, [
      HUB_CLI,
      'token',
      'issue',
      '--name',
      '工商局业务系统',
      '--scope',
      'ingest:GSJ',
      '--data-dir',
      data.path,
    ]);
    const token = issued.stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^hub_/);
    const [record] = listTokens(data.path);
    expect(record).toMatchObject({ name: '工商局业务系统', scopes: ['ingest:GSJ'] });

    expect((await postJson(url, sampleInspectionCompleted(1, { recordId: 'TOK-1' }), token)).status).toBe(
      202,
    );
    expect(
      (await postJson(url, sampleInspectionCompleted(2, { agency: 'ZJJ', recordId: 'TOK-2' }), token)).status,
    ).toBe(403);

    const revoked = await run(process.execPath, [
      HUB_CLI,
      'token',
      'revoke',
      record!.id,
      '--data-dir',
      data.path,
    ]);
    expect(revoked.stdout).toContain('已吊销 (revoked)');
    expect((await postJson(url, sampleInspectionCompleted(3, { recordId: 'TOK-3' }), token)).status).toBe(
      401,
    );
  });
});
