import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '@hub/testing';
import { isHubError, mayIngestFor, parseScope } from '@hub/domain';
import {
  ensureDemoToken,
  issueToken,
  listTokens,
  openTokenStore,
  revokeToken,
  tokensPath,
} from './token-store.js';

describe('token store', () => {
  const dirs: { remove(): void }[] = [];
  const dir = () => {
    const d = tempDir('hub-tokens-');
    dirs.push(d);
    return d.path;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('stores only the sha256 of a token, in a file only its owner reads', () => {
    const data = dir();
    const { token, record } = issueToken(data, {
      name: '工商局业务系统',
      scopes: ['ingest:GSJ'],
      now: new Date('2026-03-01T00:00:00Z'),
    });
    const file = readFileSync(tokensPath(data), 'utf8');
    expect(file).not.toContain(token);
    expect(file).toContain(record.sha256);
    expect(statSync(tokensPath(data)).mode & 0o777).toBe(0o600);
    expect(openTokenStore(data).verify(token)).toEqual({
      id: record.id,
      name: '工商局业务系统',
      scopes: ['ingest:GSJ'],
    });
  });

  it('sees issues and revocations made after it was opened', () => {
    const data = dir();
    const store = openTokenStore(data);
    const { token, record } = issueToken(data, { name: 'a', scopes: ['committee'] });
    expect(store.verify(token)?.id).toBe(record.id);
    expect(revokeToken(data, record.id)).toBe(true);
    expect(store.verify(token)).toBeUndefined();
    expect(revokeToken(data, record.id)).toBe(false);
    expect(listTokens(data)[0]?.revokedAt).toBeDefined();
  });

  it('sees a revocation made by another process without a restart', async () => {
    const data = dir();
    const { token, record } = issueToken(data, { name: 'a', scopes: ['committee'] });
    const store = openTokenStore(data);
    expect(store.verify(token)?.id).toBe(record.id);
    // Another process rewrites the file (as `hub token revoke` does): temporary file, rename.
    const file = JSON.parse(readFileSync(tokensPath(data), 'utf8')) as { tokens: { revokedAt?: string }[] };
    file.tokens[0]!.revokedAt = '2026-03-02T00:00:00.000Z';
    execFileSync(process.execPath, [
      '-e',
      `const fs = require('node:fs'); fs.writeFileSync(process.argv[1] + '.x', process.argv[2], { mode: 0o600 }); fs.renameSync(process.argv[1] + '.x', process.argv[1]);`,
      tokensPath(data),
      JSON.stringify(file),
    ]);
    await waitFor(() => (store.verify(token) === undefined ? true : undefined), {
      what: 'the revocation seen by the running store',
    });
  });

  it('refuses unknown scopes and agencies', () => {
    const data = dir();
    const refused = (scopes: string[]) => {
      try {
        issueToken(data, { name: 'x', scopes });
      } catch (err) {
        return isHubError(err, 'VALIDATION_FAILED') ? err.issues : undefined;
      }
      return undefined;
    };
    expect(refused(['ingest:NOPE'])).toEqual([
      { field: 'scopes.0', message: expect.stringContaining('unknown scope') },
    ]);
    expect(refused([])).toEqual([{ field: 'scopes', message: expect.any(String) }]);
    expect(listTokens(data)).toEqual([]);
    expect(parseScope('agency:GSJ')).toEqual({ ok: true, scope: 'agency:GSJ' });
    expect(mayIngestFor(['ingest:*'], 'CGJ')).toBe(true);
    expect(mayIngestFor(['agency:GSJ'], 'GSJ')).toBe(false);
  });

  it('creates the demo token once and keeps it in demo-token.txt (mode 600)', () => {
    const data = dir();
    const token = ensureDemoToken(data);
    expect(ensureDemoToken(data)).toBe(token);
    expect(readFileSync(join(data, 'demo-token.txt'), 'utf8').trim()).toBe(token);
    expect(statSync(join(data, 'demo-token.txt')).mode & 0o777).toBe(0o600);
    expect(openTokenStore(data).verify(token)?.scopes).toContain('ingest:*');
    expect(listTokens(data)).toHaveLength(1);
  });
});
