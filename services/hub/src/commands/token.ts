import type { Command } from 'commander';
import { loadHubConfig } from '../config.js';
import { HubError } from '@hub/domain';
import {
  issueToken,
  listTokens,
  openPostgresTokens,
  revokeToken,
  type IssueTokenOptions,
  type TokenRecord,
} from '@hub/platform';

/**
 * The token store the services read: PostgreSQL's `hub_tokens` with READ_MODEL_URL, else
 * `<data dir>/tokens.json`.
 */
async function withTokens<T>(
  fn: (store: {
    issue(opts: IssueTokenOptions): Promise<{ token: string; record: TokenRecord }>;
    revoke(id: string): Promise<boolean>;
    list(): Promise<(TokenRecord & { lastUsedAt?: string | undefined })[]>;
  }) => Promise<T>,
): Promise<T> {
  const config = loadHubConfig(process.env);
  if (config.readModelUrl) {
    const pg = await openPostgresTokens(config.readModelUrl);
    try {
      return await fn(pg);
    } finally {
      await pg.close();
    }
  }
  const dir = config.dataDir;
  return fn({
    issue: (opts) => Promise.resolve(issueToken(dir, opts)),
    revoke: (id) => Promise.resolve(revokeToken(dir, id)),
    list: () => Promise.resolve(listTokens(dir)),
  });
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--expires`: a duration (`30m`, `12h`, `90d`) from now, or an RFC 3339 instant. */
export function parseExpires(text: string, now: Date = new Date()): Date {
  const duration = /^(\d+)\s*([mhd])$/.exec(text.trim());
  if (duration) return new Date(now.getTime() + Number(duration[1]) * UNITS[duration[2]!]!);
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim())
    ? new Date(text.trim())
    : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) {
    throw new HubError('VALIDATION_FAILED', `到期时间无效 (invalid expiry): ${text}`, {
      issues: [
        {
          field: 'expires',
          message:
            '应为时长如 30m、12h、90d，或带时区的时间如 2027-01-01T00:00:00+08:00 (a duration or an RFC 3339 time)',
        },
      ],
    });
  }
  return at;
}

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
    .option('--expires <when>', '到期 expires after a duration (30m, 12h, 90d) or at a time (RFC 3339)')
    .action(async (flags: { name: string; scope: string[]; expires?: string }) => {
      const expiresAt = flags.expires === undefined ? undefined : parseExpires(flags.expires);
      const { token: plain, record } = await withTokens((t) =>
        t.issue({ name: flags.name, scopes: flags.scope, expiresAt }),
      );
      const until = record.expiresAt ? `，到期 expires ${record.expiresAt}` : '';
      console.log(`已签发 (issued) ${record.id} — ${record.name} [${record.scopes.join(' ')}]${until}`);
      console.log('令牌只显示这一次，请妥善保存 (the token is shown only once; keep it safe):');
      console.log(plain);
    });
  token
    .command('revoke <id>')
    .description('吊销令牌 (revoke a token by id)')
    .action(async (id: string) => {
      if (await withTokens((t) => t.revoke(id))) {
        console.log(`已吊销 (revoked) ${id}`);
      } else {
        console.error(`没有此有效令牌 (no active token with id) ${id}`);
        process.exitCode = 1;
      }
    });
  token
    .command('list')
    .description('列出令牌 (list tokens with state and last use; hashes only)')
    .option('--json', '输出 JSON (print JSON)')
    .action(async (flags: { json?: boolean }) => {
      const tokens = await withTokens((t) => t.list());
      if (flags.json) return console.log(JSON.stringify(tokens, null, 2));
      if (tokens.length === 0) return console.log('没有令牌 (no tokens)');
      const now = new Date().toISOString();
      console.log('编号 id\t持有者 name\t权限 scopes\t签发时间 created\t状态 state\t使用 use');
      for (const t of tokens) {
        const state = t.revokedAt
          ? `已吊销 revoked ${t.revokedAt}`
          : t.expiresAt && t.expiresAt <= now
            ? `已过期 expired ${t.expiresAt}`
            : t.expiresAt
              ? `有效至 active until ${t.expiresAt}`
              : '有效 active';
        const used = t.lastUsedAt ? `最近使用 last used ${t.lastUsedAt}` : '未使用 never used';
        console.log([t.id, t.name, t.scopes.join(' '), t.createdAt, state, used].join('\t'));
      }
    });
}
