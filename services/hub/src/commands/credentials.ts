/**
 * `hub credentials issue --agency NYJ`: the NATS credentials of a department that publishes
 * directly (its NKey seed, allowed only its own subjects and its own inbox), written to a file
 * readable by its owner alone. The seed is never printed.
 */
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AGENCIES, HubError, isAgencyCode } from '@hub/domain';
import {
  ensureLocalCredentials,
  inboxPrefixOf,
  loadOrCreateSigningKey,
  natsUsers,
  signingDir,
} from '@hub/platform';
import { cliConfig } from './cli-nats.js';

export function registerCredentials(program: Command): void {
  const credentials = program
    .command('credentials')
    .description('NATS 凭据：直接发布的部门 (NATS credentials for departments that publish directly)');
  credentials
    .command('issue')
    .description('写出某部门的 NATS 凭据文件 (write a department’s NATS credentials file)')
    .requiredOption('--agency <code>', '部门代码 department code, e.g. NYJ')
    .option('--out <file>', '凭据文件 output file (default ./<code>.nk); 不覆盖已有文件 (never overwrites)')
    .action((flags: { agency: string; out?: string }) => {
      const agency = flags.agency.trim().toUpperCase();
      const direct = natsUsers().filter((u) => u.agency !== undefined);
      const user = direct.find((u) => u.agency === agency);
      if (user === undefined) {
        const why = isAgencyCode(agency)
          ? `${agency} 经由本部门的机构服务报送，无直接发布身份 (reports through its agency service, not directly)`
          : `未知的部门代码 (unknown department code) ${agency}`;
        throw new HubError('VALIDATION_FAILED', `不能签发凭据 (cannot issue credentials): ${why}`, {
          issues: [
            {
              field: 'agency',
              message: `可直接发布的部门 (departments that publish directly): ${direct.map((u) => u.agency).join(', ')}`,
            },
          ],
        });
      }
      const out = resolve(flags.out ?? `${agency}.nk`);
      if (existsSync(out)) {
        throw new HubError('CONFLICT', `文件已存在，不覆盖 (file exists, not overwritten): ${out}`, {
          issues: [{ field: 'out', message: '请指定新文件 (name a new file)' }],
        });
      }
      const dataDir = cliConfig().HUB_DATA_DIR;
      const local = ensureLocalCredentials(dataDir);
      const signingOut = out.replace(/(\.nk)?$/, '.signing.pem');
      if (existsSync(signingOut)) {
        throw new HubError('CONFLICT', `文件已存在，不覆盖 (file exists, not overwritten): ${signingOut}`, {
          issues: [{ field: 'out', message: '请指定新文件 (name a new file)' }],
        });
      }
      copyFileSync(local.seedFile(user.user), out);
      chmodSync(out, 0o600);
      const signing = loadOrCreateSigningKey(dataDir, agency);
      copyFileSync(join(signingDir(dataDir), `${agency}.pem`), signingOut);
      chmodSync(signingOut, 0o600);
      console.log(`已写出 (written) ${out} — ${AGENCIES[agency]?.name ?? agency} (${user.user})`);
      console.log(`  公钥 public key:      ${local.publicKeys[user.user]}`);
      console.log(`  可发布 may publish:   ${user.publish.filter((s) => s.startsWith('enf.')).join(' ')}`);
      console.log(
        `  收件前缀 inbox prefix: ${inboxPrefixOf(user.user)}  (连接时必须设置 set it when connecting)`,
      );
      console.log(
        `  签名密钥 signing key:  ${signingOut}  (${signing.keyId}; Ed25519 over each message's bytes,`,
      );
      console.log(
        '    headers Hub-Key-Id and Hub-Signature; 本地平台启动时已登记 registered by the local hub at start)',
      );
      console.log('  文件权限 600，请妥善保管 (mode 600; keep them secret)');
    });
}
