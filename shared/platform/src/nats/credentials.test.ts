import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '@hub/testing';
import { ensureLocalCredentials, readCredentialsFile, redactUrl } from './credentials.js';

describe('NATS credentials files', () => {
  const dir = tempDir('hub-creds-');
  afterAll(() => dir.remove());

  it('creates one seed per identity once, and a server config with public keys only', () => {
    const first = ensureLocalCredentials(dir.path);
    const again = ensureLocalCredentials(dir.path);
    expect(again.publicKeys).toEqual(first.publicKeys);
    expect(Object.keys(first.publicKeys)).toEqual(
      expect.arrayContaining(['admin', 'projector', 'market-supervision', 'dept-nyj', 'dept-czj']),
    );
    const seedText = readFileSync(first.seedFile('dept-nyj'), 'utf8');
    const seed = /^SU[A-Z2-7]{56}$/m.exec(seedText)?.[0];
    expect(statSync(first.seedFile('dept-nyj')).mode & 0o777).toBe(0o600);
    const conf = readFileSync(first.configPath, 'utf8');
    expect(conf).toContain(`nkey: "${first.publicKeys['dept-nyj']}"`);
    expect(conf).toContain('subscribe: { allow: ["_INBOX.dept-nyj.>"] }');
    expect(conf).not.toContain(seed!);
    expect(readCredentialsFile(first.seedFile('dept-nyj'))).toMatchObject({
      kind: 'nkey',
      user: 'dept-nyj',
      inboxPrefix: '_INBOX.dept-nyj',
    });
  });

  it('reads a .creds file as such, and refuses anything else without quoting it', () => {
    const creds = join(dir.path, 'x.creds');
    writeFileSync(creds, '-----BEGIN NATS USER JWT-----\neyJ0eXAi\n------END NATS USER JWT------\n');
    expect(readCredentialsFile(creds).kind).toBe('creds');
    const junk = join(dir.path, 'junk.txt');
    writeFileSync(junk, 'password=hunter2\n');
    expect(() => readCredentialsFile(junk)).toThrow(/NATS 凭据文件格式不对/);
    expect(() => readCredentialsFile(junk)).not.toThrow(/hunter2/);
    expect(() => readCredentialsFile(join(dir.path, 'missing.nk'))).toThrow(/ENOENT/);
  });

  it('redacts passwords and tokens in URLs', () => {
    expect(redactUrl('nats://admin:s3cret@127.0.0.1:4222,nats://b:x@h:1')).toBe(
      'nats://admin:***@127.0.0.1:4222,nats://b:***@h:1',
    );
    expect(redactUrl('nats://tok3n@host:4222')).toBe('nats://***@host:4222');
    expect(redactUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });
});
