import type { Command } from 'commander';
import { loadHubConfig } from '../config.js';
import { issueToken, listTokens, revokeToken } from '@hub/platform';

const dataDir = () => loadHubConfig(process.env).dataDir;

/** `hub token issue|revoke|list`: bearer tokens for ingest and the query API (stored hashed). */
export function registerToken(program: Command): void {
  const token = program.command('token').description('访问令牌管理 (manage access tokens)');
  token
    .command('issue')
    .description('签发令牌 (issue a token; the token is shown once)')
    .requiredOption('--name <name>', '持有者 who holds it, e.g. "工商局业务系统"')
    .requiredOption(
      '--scope <scope...>',
      '权限范围 scopes: ingest:<AGENCY> | ingest:* | agency:<AGENCY> | committee | consulting | execution | supervision | auditor',
    )
    .action((flags: { name: string; scope: string[] }) => {
      const { token: plain, record } = issueToken(dataDir(), {
        name: flags.name,
        scopes: flags.scope,
      });
      console.log(`已签发 (issued) ${record.id} — ${record.name} [${record.scopes.join(' ')}]`);
      console.log('令牌只显示这一次，请妥善保存 (the token is shown only once; keep it safe):');
      console.log(plain);
    });
  token
    .command('revoke <id>')
    .description('吊销令牌 (revoke a token by id)')
    .action((id: string) => {
      if (revokeToken(dataDir(), id)) {
        console.log(`已吊销 (revoked) ${id}`);
      } else {
        console.error(`没有此有效令牌 (no active token with id) ${id}`);
        process.exitCode = 1;
      }
    });
  token
    .command('list')
    .description('列出令牌 (list tokens; hashes only)')
    .action(() => {
      const tokens = listTokens(dataDir());
      if (tokens.length === 0) return console.log('没有令牌 (no tokens)');
      console.log('编号 id\t持有者 name\t权限 scopes\t签发时间 created\t状态 state');
      for (const t of tokens) {
        const state = t.revokedAt ? `已吊销 revoked ${t.revokedAt}` : '有效 active';
        console.log([t.id, t.name, t.scopes.join(' '), t.createdAt, state].join('\t'));
      }
    });
}
