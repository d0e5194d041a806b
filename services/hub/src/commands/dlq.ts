/** `hub dlq list` and `hub dlq retry <seq>`: the projector's dead letters. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { silentLogger } from '@hub/platform';
import { HubError } from '@hub/domain';
import { currentReadModelPath, openReadModel } from '@hub/read-model';
import {
  DLQ_RETRY_SUBJECT,
  retryDeadLetterInFile,
  signaturePolicyFrom,
  type RetryResult,
} from '@hub/projector';

import { loadHubConfig } from '../config.js';
import { cliNats } from './cli-nats.js';
import { openLiveReadModelPostgres } from './live-read-model.js';

/** A dead letter as `--json` prints it: camelCase, like the HTTP APIs. */
const deadLetterJson = (r: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]),
  );

function readModelPathOrThrow(dataDir: string): string {
  const path = currentReadModelPath(dataDir);
  if (!existsSync(path)) {
    throw new HubError(
      'NOT_FOUND',
      `读模型不存在，请先启动投影 (no read model yet, start the projector first): ${path}`,
    );
  }
  return path;
}

export function registerDlq(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('死信：投影拒绝的消息 (dead letters: messages the projector refused)');
  dlq
    .command('list')
    .description('列出死信 (list dead letters)')
    .option('--reason <code>', '只看某一原因 (only this reason code)')
    .option('--limit <n>', '最多条数 (at most n rows)', '100')
    .option('--json', '输出 JSON (print JSON)')
    .action(async (opts: { reason?: string; limit: string; json?: boolean }) => {
      // With READ_MODEL_URL: PostgreSQL's dead letters, the ones every query API serves.
      const pg = await openLiveReadModelPostgres();
      const db = pg?.db ?? openReadModel({ path: readModelPathOrThrow(loadHubConfig(process.env).dataDir) });
      try {
        let q = db
          .selectFrom('dead_letters')
          .selectAll()
          .orderBy('seq')
          .limit(Number(opts.limit) || 100);
        if (opts.reason) q = q.where('reason', '=', opts.reason);
        const rows = await q.execute();
        if (opts.json) {
          console.log(JSON.stringify(rows.map(deadLetterJson), null, 2));
          return;
        }
        if (rows.length === 0) {
          console.log('没有死信 (no dead letters)');
          return;
        }
        console.log('序号 seq\t原因 reason\t主题 subject\t事件 event id\t重试 retried\t说明 detail');
        for (const r of rows) {
          console.log(
            [r.seq, r.reason, r.subject, r.event_id ?? '-', r.retried, r.detail.slice(0, 160)].join('\t'),
          );
        }
      } finally {
        await db.destroy();
      }
    });
  dlq
    .command('retry <seq>')
    .description('用当前代码重新投影一条死信 (apply a dead letter again with the current code)')
    .action(async (seqText: string) => {
      const seq = Number(seqText);
      if (!Number.isSafeInteger(seq) || seq < 1) {
        throw new HubError(
          'VALIDATION_FAILED',
          `序号应为正整数 (seq must be a positive integer): ${seqText}`,
          {
            issues: [{ field: 'seq', message: '应为正整数 (must be a positive integer)' }],
          },
        );
      }
      const { nc, dataDir } = await cliNats({ streams: false });
      const pgUrl = loadHubConfig(process.env).readModelUrl;
      try {
        let result: RetryResult;
        try {
          // The running projector is the one writer: ask it. Over PostgreSQL only the one holding
          // the writer lock answers, and only once the retry is shipped.
          const reply = await nc.request(DLQ_RETRY_SUBJECT, JSON.stringify({ seq }), { timeout: 30_000 });
          const body = reply.json<{ ok: boolean; error?: string } & RetryResult>();
          if (!body.ok) throw new HubError('CONFLICT', body.error ?? 'retry failed');
          result = body;
        } catch (err) {
          const unanswered = /no responders|503|timeout/i.test(String((err as Error).message));
          if (pgUrl && unanswered) {
            throw new HubError(
              'SERVICE_UNAVAILABLE',
              '没有持有写入锁的投影进程应答，请确认有投影在运行并为活动状态 (no active projector answered: over PostgreSQL a retry is applied by the projector holding the writer lock — check that one runs and its /healthz says active)',
              { cause: err },
            );
          }
          if (!/no responders|503/i.test(String((err as Error).message))) throw err;
          // No projector running: retry in the file directly (takes its writer lock).
          const path = readModelPathOrThrow(dataDir);
          result = await retryDeadLetterInFile({
            nc,
            path,
            seq,
            log: silentLogger(),
            signatures: signaturePolicyFrom(process.env),
          });
        }
        if (result.outcome === 'dead') {
          console.log(
            `仍然失败 (still failing) seq ${seq}: [${result.deadLetter?.reason}] ${result.deadLetter?.detail ?? ''}`,
          );
          process.exitCode = 2;
        } else {
          console.log(`已投影，死信已移除 (applied, dead letter removed): seq ${seq} (${result.outcome})`);
        }
      } finally {
        await nc.close();
      }
    });
}
