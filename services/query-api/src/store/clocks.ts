/**
 * Legal clocks (法定期限) from the read model's `legal_clocks`: per case 送达 and 公示, per
 * transfer 移送决定, 移交公安 and 公安立案决定, each with its deadline on the working-day calendar
 * in force at the starting act and its status as of the last clock tick the hub applied.
 */
import type { Kysely } from 'kysely';
import type { LegalClocksTable, ReadModelDatabase } from '@hub/read-model';

export interface ClockItem {
  clockId: string;
  kind: string;
  uscc: string;
  agency: string;
  caseId: string;
  transferNo: string | null;
  rule: string;
  article: string;
  startedAt: string;
  startedByEventId: string;
  dueDay: string;
  dueAt: string;
  metAt: string | null;
  status: string;
  calendarVersion: string | null;
  fallbackYears: number[];
}

export interface ClockOptions {
  agencies?: readonly string[] | undefined;
  uscc?: string | undefined;
  caseId?: string | undefined;
  kinds?: readonly string[] | undefined;
  statuses?: readonly string[] | undefined;
  /** Only 两法衔接 transfer clocks (the procuratorate's view). */
  transfersOnly?: boolean;
  after?: string | undefined;
  limit: number;
}

const toItem = (r: LegalClocksTable): ClockItem => ({
  clockId: r.clock_id,
  kind: r.kind,
  uscc: r.uscc,
  agency: r.agency,
  caseId: r.case_id,
  transferNo: r.transfer_no === '' ? null : r.transfer_no,
  rule: r.rule,
  article: r.article,
  startedAt: r.started_at,
  startedByEventId: r.started_by_event_id,
  dueDay: r.due_day,
  dueAt: r.due_at,
  metAt: r.met_at,
  status: r.status,
  calendarVersion: r.calendar_version,
  fallbackYears: JSON.parse(r.fallback_years_json) as number[],
});

export async function listClocks(
  db: Kysely<ReadModelDatabase>,
  opts: ClockOptions,
): Promise<{ clocks: ClockItem[]; next: string | undefined }> {
  let q = db.selectFrom('legal_clocks').selectAll();
  if (opts.agencies?.length) q = q.where('agency', 'in', opts.agencies);
  if (opts.uscc) q = q.where('uscc', '=', opts.uscc);
  if (opts.caseId) q = q.where('case_id', '=', opts.caseId);
  if (opts.kinds?.length) q = q.where('kind', 'in', opts.kinds);
  if (opts.statuses?.length) q = q.where('status', 'in', opts.statuses);
  if (opts.transfersOnly) q = q.where('transfer_no', '!=', '');
  if (opts.after) q = q.where('clock_id', '>', opts.after);
  const rows = await q
    .orderBy('clock_id')
    .limit(opts.limit + 1)
    .execute();
  const page = rows.slice(0, opts.limit);
  return {
    clocks: page.map(toItem),
    next: rows.length > opts.limit ? page[page.length - 1]?.clock_id : undefined,
  };
}
