/**
 * `hub keys register|revoke|list`: the committee office's record of the agencies' public
 * signing keys, kept as messages on ENF_KEYS (never deleted), so a replay knows which key
 * was valid when. Needs an identity that may publish `enf.key.>` (admin).
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { HubError, isAgencyCode } from '@hub/domain';
import { keyIdOf, loadKeyRegistry, loadOrCreateSigningKey, publishKeyEvent } from '@hub/platform';
import { cliNats } from './cli-nats.js';

const BY = '执委会办公室 (committee office)';

/** The public key (SPKI DER base64) of a PEM file holding an Ed25519 private or public key. */
function publicKeyOfPem(path: string): string {
  let key;
  try {
    key = createPublicKey(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new HubError('VALIDATION_FAILED', `无法读取密钥文件 (cannot read the key file) ${path}`, {
      cause: err,
      issues: [{ field: 'key', message: '应为 Ed25519 PEM (expected an Ed25519 PEM file)' }],
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new HubError('VALIDATION_FAILED', `不是 Ed25519 密钥 (not an Ed25519 key): ${path}`, {
      issues: [{ field: 'key', message: `类型 type ${key.asymmetricKeyType ?? '?'}` }],
    });
  }
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('签名公钥 (agencies’ signing keys)');
  keys
    .command('register')
    .description('登记某部门的签名公钥 (register an agency’s public signing key)')
    .requiredOption('--agency <code>', '部门代码 department code')
    .option('--key <pem>', '部门自备的密钥 PEM (the agency’s own key; default: the data folder’s)')
    .action(async (flags: { agency: string; key?: string }) => {
      const agency = flags.agency.trim().toUpperCase();
      if (!isAgencyCode(agency)) {
        throw new HubError('VALIDATION_FAILED', `未知的部门代码 (unknown department code) ${agency}`, {
          issues: [{ field: 'agency', message: '未知部门 (unknown department)' }],
        });
      }
      const { nc, dataDir } = await cliNats();
      try {
        const publicKey = flags.key
          ? publicKeyOfPem(flags.key)
          : loadOrCreateSigningKey(dataDir, agency).publicKey;
        const keyId = keyIdOf(agency, publicKey);
        const seq = await publishKeyEvent(nc, { action: 'registered', agency, keyId, publicKey, by: BY });
        console.log(`已登记 (registered) ${keyId} (ENF_KEYS seq ${seq})`);
      } finally {
        await nc.close();
      }
    });
  keys
    .command('revoke <keyId>')
    .description(
      '吊销签名公钥：此后以它签名的事件被拒 (revoke a key: events it signs from now on are refused)',
    )
    .option('--reason <text>', '原因 reason')
    .action(async (keyId: string, flags: { reason?: string }) => {
      const { nc } = await cliNats();
      try {
        const registry = await loadKeyRegistry(nc);
        const entry = registry.entries().find((e) => e.keyId === keyId);
        if (!entry) {
          throw new HubError('NOT_FOUND', `没有此密钥 (no such key) ${keyId}`, {
            issues: [{ field: 'keyId', message: '未登记 (not registered)' }],
          });
        }
        await publishKeyEvent(nc, {
          action: 'revoked',
          agency: entry.agency,
          keyId,
          by: BY,
          reason: flags.reason,
        });
        console.log(`已吊销 (revoked) ${keyId}`);
      } finally {
        await nc.close();
      }
    });
  keys
    .command('list')
    .description('列出签名公钥 (list the registered keys)')
    .option('--json', '输出 JSON (print JSON)')
    .action(async (flags: { json?: boolean }) => {
      const { nc } = await cliNats();
      try {
        const entries = (await loadKeyRegistry(nc)).entries();
        if (flags.json) return console.log(JSON.stringify(entries, null, 2));
        if (entries.length === 0) return console.log('没有登记的密钥 (no keys registered)');
        for (const e of entries) {
          const state = e.revokedAt ? `已吊销 revoked ${e.revokedAt}` : '有效 valid';
          console.log(`${e.keyId.padEnd(24)} 登记 registered ${e.registeredAt}  ${state}`);
        }
      } finally {
        await nc.close();
      }
    });
}
