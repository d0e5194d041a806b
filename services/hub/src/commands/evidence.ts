/**
 * `hub evidence export --business USCC [--as-of T] --out FILE`: one file an auditor can check
 * without the hub (docs/evidence.md); every export is written to the query API's access log
 * first. `hub evidence verify FILE`: that check, offline.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkUscc, HubError, isRfc3339 } from '@hub/domain';
import { loadHubConfig } from '../config.js';
import { cliNats } from './cli-nats.js';
import { exportEvidence } from './evidence-export.js';
import { withLiveReadModelFile } from './live-read-model.js';
import { CHECK_LABELS, parseBundle, verifyBundle, type CheckName } from './evidence-bundle.js';

const invalid = (field: string, message: string): HubError =>
  new HubError('VALIDATION_FAILED', `参数无效 (invalid ${field}): ${message}`, {
    issues: [{ field, message }],
  });

/** The access log the query API keeps (D15): an export is a read of the business's whole file. */
export const accessLogPath = (dataDir: string): string => join(dataDir, 'query-api', 'access-log.sqlite');

export function registerEvidence(program: Command): void {
  const evidence = program.command('evidence').description('证据包 (evidence bundles for auditors)');
  evidence
    .command('export')
    .description('导出一家企业的证据包 (export one business’s evidence bundle)')
    .requiredOption('--business <uscc>', '统一社会信用代码 (the business’s credit code)')
    .option('--as-of <time>', '截至该时刻流中已有的事件 (events the stream held at this instant, RFC 3339)')
    .requiredOption('--out <file>', '输出文件 (output file)')
    .action(async (flags: { business: string; asOf?: string; out: string }) => {
      const uscc = flags.business.trim().toUpperCase();
      const checked = checkUscc(uscc);
      if (!checked.ok) throw invalid('business', checked.message);
      if (flags.asOf !== undefined && !isRfc3339(flags.asOf))
        throw invalid('as-of', '应为 RFC 3339 时间，如 2026-04-30T16:00:00Z (expected an RFC 3339 time)');
      const out = resolve(flags.out);
      const { nc, dataDir } = await cliNats();
      try {
        const bundle = await withLiveReadModelFile(dataDir, (livePath) =>
          exportEvidence({ nc, livePath, uscc, asOf: flags.asOf }),
        );
        if (bundle.events.length === 0) {
          throw new HubError(
            'NOT_FOUND',
            `没有该企业的事件 (no events about ${uscc}${flags.asOf ? ` as of ${flags.asOf}` : ''})`,
          );
        }
        // Written beside its destination, logged, then put in place: no bundle leaves unlogged.
        const tmp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
        writeFileSync(tmp, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
        try {
          await logExport(dataDir, uscc, flags.asOf, out);
          renameSync(tmp, out);
        } catch (err) {
          rmSync(tmp, { force: true });
          throw err;
        }
        console.log(
          `已导出 (exported) ${bundle.events.length} 个事件 events of ${uscc} → ${out}\n` +
            `链头 chain head: seq ${bundle.chain.head?.seq ?? '-'} ${bundle.chain.head?.hash ?? ''}\n` +
            `已记入访问日志 (written to the access log)`,
        );
      } finally {
        await nc.close();
      }
    });
  evidence
    .command('verify')
    .description('离线校验证据包 (check an evidence bundle offline)')
    .argument('<file>', '证据包 (the bundle)')
    .option('--json', '输出 JSON (print JSON)')
    .action((file: string, flags: { json?: boolean }) => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new HubError('VALIDATION_FAILED', `无法读取证据包 (cannot read the bundle) ${file}`, {
          cause: err,
          issues: [{ field: 'file', message: err instanceof Error ? err.message : String(err) }],
        });
      }
      const bundle = parseBundle(json);
      const report = verifyBundle(bundle);
      if (flags.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(
          `证据包 (bundle) ${file}: 企业 business ${bundle.business}, ${report.events} 个事件 events`,
        );
        for (const c of Object.keys(CHECK_LABELS) as CheckName[]) {
          const r = report.checks[c];
          const mark = r.failed === 0 ? '通过 PASS' : '失败 FAIL';
          console.log(`  ${mark}  ${CHECK_LABELS[c]}: ${r.passed} 通过 passed, ${r.failed} 失败 failed`);
        }
        for (const f of report.failures.slice(0, 50))
          console.log(`  失败 FAIL  seq ${f.seq ?? '-'}  ${f.check}: ${f.detail}`);
        console.log(
          report.ok
            ? '结果：证据包完整可信 (result: every check passed)'
            : `结果：${report.failures.length} 项未通过 (result: ${report.failures.length} checks FAILED)`,
        );
      }
      if (!report.ok) process.exitCode = 1;
    });
}

async function logExport(
  dataDir: string,
  uscc: string,
  asOf: string | undefined,
  out: string,
): Promise<void> {
  // Loaded here only: the query API's package is not needed by any other command.
  const { openAccessLog, openPostgresAccessLog } = await import('@hub/query-api');
  const user = userInfo().username;
  // The query API's log: PostgreSQL's with READ_MODEL_URL, else the data folder's file.
  const url = loadHubConfig(process.env).readModelUrl;
  const log = url
    ? await openPostgresAccessLog({ url, max: 1 })
    : openAccessLog({ path: accessLogPath(dataDir) });
  try {
    await log.record({
      tokenId: `cli:${user}`,
      subject: `${user} (hub evidence export)`,
      roles: ['admin'],
      uscc,
      resource: 'evidence-export',
      query: new URLSearchParams({ ...(asOf ? { asOf } : {}), out }).toString(),
      status: 200,
    });
  } finally {
    await log.close();
  }
}
