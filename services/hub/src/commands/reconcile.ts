/**
 * `hub reconcile [--agency X] [--since T] [--json]`: per agency, what the agency services
 * accepted (their outboxes: every record answered 202), what of it is in the events stream
 * (looked up by sequence and Nats-Msg-Id), and what the read model applied — with the ids that
 * differ. Exit code 1 when anything differs.
 *
 * Differences and what they mean: `pending` — accepted, not yet published (the relay is behind,
 * or NATS is away); `missingFromStream` — published and acknowledged, but not in the stream (a
 * lost write: the service's reconciliation publishes it again); `notApplied` — in the stream but
 * not in the read model (the projector is behind, or dead-lettered it: `hub dlq list`).
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { AGENCY_CODES, HubError, SERVICES, type ServiceName } from '@hub/domain';
import { currentReadModelPath, openReadModel } from '@hub/read-model';
import { openLiveReadModelPostgres } from './live-read-model.js';
import { checkInStream, outboxFile, readAccepted, type AcceptedRow } from '@hub/agency-gateway/reconcile';
import { cliNats } from './cli-nats.js';

export interface AgencyReconciliation {
  agency: string;
  accepted: number;
  inStream: number;
  applied: number;
  pending: string[];
  missingFromStream: string[];
  notApplied: string[];
}

export interface ReconcileReport {
  since: string | null;
  agencies: AgencyReconciliation[];
  equal: boolean;
}

const SHOWN = 20;

function parseSince(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at.getTime())) {
    throw new HubError(
      'VALIDATION_FAILED',
      `--since 应为 ISO 8601 时间，如 2026-03-01 或 2026-03-01T08:00:00+08:00 (--since must be an ISO 8601 instant): ${text}`,
      { issues: [{ field: '--since', message: '不是有效时间 (not a valid instant)' }] },
    );
  }
  return at;
}

function checkAgency(code: string | undefined): string | undefined {
  if (code === undefined || AGENCY_CODES.includes(code)) return code;
  throw new HubError(
    'VALIDATION_FAILED',
    `未知机构代码 (unknown agency code) --agency ${code}；可用 (known): ${AGENCY_CODES.join(', ')}`,
    { issues: [{ field: '--agency', message: '未知机构代码 (unknown agency code)' }] },
  );
}

/** Event ids among `ids` that the read model applied (PostgreSQL's with READ_MODEL_URL). */
async function appliedIn(dataDir: string, ids: readonly string[]): Promise<Set<string>> {
  const applied = new Set<string>();
  const pg = await openLiveReadModelPostgres();
  const path = currentReadModelPath(dataDir);
  if (!pg && !existsSync(path)) return applied;
  const db = pg?.db ?? openReadModel({ path, readonly: true });
  try {
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom('timeline')
        .select('event_id')
        .where('event_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) applied.add(r.event_id);
    }
  } finally {
    await db.destroy();
  }
  return applied;
}

function printReport(report: ReconcileReport): void {
  console.log(
    `对账 (reconcile)${report.since ? ` 自 since ${report.since}` : ''}：已接收 accepted / 在流中 in stream / 已投影 applied`,
  );
  if (report.agencies.length === 0) console.log('  没有已接收的记录 (no accepted records)');
  const ids = (label: string, list: string[]) => {
    if (list.length === 0) return;
    const more =
      list.length > SHOWN ? ` … 另 ${list.length - SHOWN} 条 (and ${list.length - SHOWN} more)` : '';
    console.log(`    ${label} (${list.length}): ${list.slice(0, SHOWN).join(' ')}${more}`);
  };
  for (const a of report.agencies) {
    const same = a.pending.length + a.missingFromStream.length + a.notApplied.length === 0;
    console.log(
      `  ${a.agency.padEnd(5)} ${String(a.accepted).padStart(8)} ${String(a.inStream).padStart(8)} ${String(a.applied).padStart(8)}  ${same ? '一致 equal' : '有差异 DIFFERENT'}`,
    );
    ids('尚未发布 not yet published', a.pending);
    ids('流中缺少 missing from the stream', a.missingFromStream);
    ids('读模型未投影 not applied in the read model', a.notApplied);
  }
  console.log(report.equal ? '结果：一致 (result: no differences)' : '结果：有差异 (result: DIFFERENCES)');
}

export function registerReconcile(program: Command): void {
  program
    .command('reconcile')
    .description(
      '对账：各机构已接收、在流中、已投影的记录及差异 (reconcile: per agency, records accepted, in the stream and applied, with the ids that differ)',
    )
    .option('--agency <code>', '只看某一机构 (only this agency), e.g. GSJ')
    .option('--since <instant>', '只看此后接收的记录 (only records accepted from this instant), ISO 8601')
    .option('--json', '输出 JSON (print JSON)')
    .action(async (opts: { agency?: string; since?: string; json?: boolean }) => {
      const agency = checkAgency(opts.agency);
      const since = parseSince(opts.since);
      const { nc, dataDir } = await cliNats({ streams: false });
      try {
        const rows: AcceptedRow[] = [];
        for (const service of Object.keys(SERVICES) as ServiceName[]) {
          const path = outboxFile(dataDir, service);
          if (existsSync(path))
            rows.push(...readAccepted(path, { ...(agency ? { agency } : {}), ...(since ? { since } : {}) }));
        }
        const { found } = await checkInStream(
          nc,
          rows.filter((r) => r.publishedAt !== null),
        );
        const inStream = new Set(found.map((f) => f.row.eventId));
        const applied = await appliedIn(
          dataDir,
          rows.map((r) => r.eventId),
        );
        const byAgency = new Map<string, AgencyReconciliation>();
        for (const r of rows) {
          let a = byAgency.get(r.agency);
          if (!a) {
            a = {
              agency: r.agency,
              accepted: 0,
              inStream: 0,
              applied: 0,
              pending: [],
              missingFromStream: [],
              notApplied: [],
            };
            byAgency.set(r.agency, a);
          }
          a.accepted += 1;
          if (inStream.has(r.eventId)) a.inStream += 1;
          if (applied.has(r.eventId)) a.applied += 1;
          if (r.publishedAt === null) a.pending.push(r.eventId);
          else if (!inStream.has(r.eventId)) a.missingFromStream.push(r.eventId);
          else if (!applied.has(r.eventId)) a.notApplied.push(r.eventId);
        }
        const agencies = [...byAgency.values()].sort((x, y) => x.agency.localeCompare(y.agency));
        const report: ReconcileReport = {
          since: since?.toISOString() ?? null,
          agencies,
          equal: agencies.every(
            (a) => a.pending.length + a.missingFromStream.length + a.notApplied.length === 0,
          ),
        };
        if (opts.json) console.log(JSON.stringify(report, null, 2));
        else printReport(report);
        if (!report.equal) process.exitCode = 1;
      } finally {
        await nc.close();
      }
    });
}
