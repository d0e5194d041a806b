/**
 * Per-agency activity and evaluation figures for a period (网上考评): inspections, the share
 * flagged as duplicates, joint inspections, penalty cases by stage, median days from opening to
 * decision, transfers waiting on the police beyond 3 days, complaints received.
 *
 * The read model has no wall clock; "waiting" is measured at an instant the caller passes (by
 * default the period's end), so the same question always gets the same answer.
 */
import type { Kysely } from 'kysely';
import type { ReadModelDatabase } from '@hub/read-model';
import { waitingAt } from './lists.js';
import { legalFigures, type LegalFigures } from './legal-figures.js';

export interface Period {
  /** Days in Asia/Shanghai, inclusive. */
  fromDay: string;
  toDay: string;
  /** The same period as UTC ISO instants (first and last millisecond). */
  from: string;
  to: string;
}

export interface AgencyFigures {
  agency: string;
  period: { from: string; to: string };
  at: string;
  inspections: { completed: number; byReason: Record<string, number>; joint: number; cancelled: number };
  duplicates: { flagged: number | null; share: number | null; note?: string };
  penaltyCases: {
    opened: number;
    byStage: Record<string, number>;
    decided: number;
    medianDaysToDecision: number | null;
  };
  /**
   * `sent`/`waitingOnPoliceOver3Days`: the agency's own transfers; `received`/
   * `receivedUndecidedOver3Days`: transfers addressed to it (the police's side of the 3-day rule).
   */
  transfers: {
    sent: number;
    waitingOnPoliceOver3Days: number;
    received: number;
    receivedUndecidedOver3Days: number;
  };
  complaints: { received: number };
  /** 法治考评: procedure compliance, deadline compliance per clock, review outcomes, 案卷评查. */
  legal: LegalFigures;
}

const DAY_MS = 86_400_000;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(m * 10) / 10;
}

const count = (rows: { n: number | string | bigint }[]): number => Number(rows[0]?.n ?? 0);

/**
 * @example
 * await agencyFigures(db, 'GSJ', period, '2026-03-31T15:59:59.999Z');
 */
export async function agencyFigures(
  db: Kysely<ReadModelDatabase>,
  agency: string,
  period: Period,
  at: string,
): Promise<AgencyFigures> {
  const completed = await db
    .selectFrom('inspections')
    .select(({ fn }) => ['reason', fn.countAll<number>().as('n')])
    .where('agency', '=', agency)
    .where('completed_at', '>=', period.from)
    .where('completed_at', '<=', period.to)
    .groupBy('reason')
    .execute();
  const joint = await db
    .selectFrom('inspections')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('agency', '=', agency)
    .where('completed_at', '>=', period.from)
    .where('completed_at', '<=', period.to)
    .where('joint_inspection_id', 'is not', null)
    .execute();
  const cancelled = await db
    .selectFrom('inspections')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('agency', '=', agency)
    .where('cancelled_at', '>=', period.from)
    .where('cancelled_at', '<=', period.to)
    .execute();
  const stages = await db
    .selectFrom('penalty_cases')
    .select(({ fn }) => ['stage', fn.countAll<number>().as('n')])
    .where('agency', '=', agency)
    .where('opened_at', '>=', period.from)
    .where('opened_at', '<=', period.to)
    .groupBy('stage')
    .execute();
  const decided = await db
    .selectFrom('penalty_cases')
    .select(['opened_at', 'decided_at'])
    .where('agency', '=', agency)
    .where('decided_at', '>=', period.from)
    .where('decided_at', '<=', period.to)
    .execute();
  const transfers = await transfersOf(db, 'agency', agency, period, at);
  const received = await transfersOf(db, 'police_agency', agency, period, at);
  const names = await duplicateNames(db, agency, period);
  const complaints = await db
    .selectFrom('complaints')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('agency', '=', agency)
    .where('received_at', '>=', period.from)
    .where('received_at', '<=', period.to)
    .execute();

  const byReason = Object.fromEntries(completed.map((r) => [r.reason ?? 'UNKNOWN', Number(r.n)]));
  const durations = decided
    .filter((c) => c.opened_at !== null && c.decided_at !== null)
    .map((c) => (Date.parse(c.decided_at ?? '') - Date.parse(c.opened_at ?? '')) / DAY_MS);
  return {
    agency,
    period: { from: period.fromDay, to: period.toDay },
    at,
    inspections: {
      completed: Object.values(byReason).reduce((a, b) => a + b, 0),
      byReason,
      joint: count(joint),
      cancelled: count(cancelled),
    },
    duplicates: duplicateFigures(names, completed),
    penaltyCases: {
      opened: stages.reduce((a, r) => a + Number(r.n), 0),
      byStage: Object.fromEntries(stages.map((r) => [r.stage, Number(r.n)])),
      decided: decided.length,
      medianDaysToDecision: median(durations),
    },
    transfers: {
      sent: inPeriod(transfers, period),
      waitingOnPoliceOver3Days: overdueAt(transfers, at),
      received: inPeriod(received, period),
      receivedUndecidedOver3Days: overdueAt(received, at),
    },
    complaints: { received: count(complaints) },
    legal: await legalFigures(db, agency, period, names),
  };
}

type TransferTimes = { transferred_at: string; decided_at: string | null }[];

/** Transfers sent (or received) that matter for the period: made in it, or still pending at `at`. */
function transfersOf(
  db: Kysely<ReadModelDatabase>,
  side: 'agency' | 'police_agency',
  agency: string,
  period: Period,
  at: string,
): Promise<TransferTimes> {
  return db
    .selectFrom('transfers')
    .select(['transferred_at', 'decided_at'])
    .where(side, '=', agency)
    .where('transferred_at', '<=', at)
    .where((eb) =>
      eb.or([
        eb('decided_at', 'is', null),
        eb('decided_at', '>', at),
        eb('transferred_at', '>=', period.from),
      ]),
    )
    .execute();
}

const inPeriod = (rows: TransferTimes, period: Period): number =>
  rows.filter((t) => t.transferred_at >= period.from && t.transferred_at <= period.to).length;

const overdueAt = (rows: TransferTimes, at: string): number =>
  rows.filter((t) => waitingAt({ transferredAt: t.transferred_at, decidedAt: t.decided_at }, at).overdue)
    .length;

/**
 * 重复检查占比: of the agency's inspections completed in the period, how many are named in a
 * `duplicate_inspection` alert that was not withdrawn (either side of the pair counts).
 */
/**
 * The agency's inspections completed in the period that a duplicate-inspection alert (not
 * withdrawn) names: all of them, and those a retrospective check found. Read once for both the
 * coordination and the legal figures.
 */
export interface DuplicateNames {
  completed: readonly string[];
  named: ReadonlySet<string>;
  retrospective: ReadonlySet<string>;
}

async function duplicateNames(
  db: Kysely<ReadModelDatabase>,
  agency: string,
  period: Period,
): Promise<DuplicateNames> {
  const alerts = await db
    .selectFrom('alert_agencies')
    .innerJoin('alerts', 'alerts.alert_id', 'alert_agencies.alert_id')
    .select('alerts.detail_json')
    .where('alert_agencies.agency', '=', agency)
    .where('alerts.kind', '=', 'duplicate_inspection')
    .where('alerts.status', '!=', 'withdrawn')
    .execute();
  const named = new Set<string>();
  const retrospective = new Set<string>();
  for (const a of alerts) {
    const d = (
      JSON.parse(a.detail_json) as {
        details: { retrospective?: boolean; inspections: { agency: string; inspectionId: string }[] };
      }
    ).details;
    for (const i of d.inspections) {
      if (i.agency !== agency) continue;
      named.add(i.inspectionId);
      if (d.retrospective === true) retrospective.add(i.inspectionId);
    }
  }
  const completed = (
    await db
      .selectFrom('inspections')
      .select('inspection_id')
      .where('agency', '=', agency)
      .where('completed_at', '>=', period.from)
      .where('completed_at', '<=', period.to)
      .execute()
  ).map((r) => r.inspection_id);
  return { completed, named, retrospective };
}

function duplicateFigures(
  names: DuplicateNames,
  completed: readonly { n: number | string | bigint }[],
): AgencyFigures['duplicates'] {
  const total = completed.reduce((a, r) => a + Number(r.n), 0);
  const flagged = names.completed.filter((id) => names.named.has(id)).length;
  return { flagged, share: total === 0 ? null : Math.round((flagged / total) * 1000) / 1000 };
}

export interface ActivityDay {
  day: string;
  eventType: string;
  count: number;
}

/** Events per day and type (Asia/Shanghai days) for one agency. */
export async function agencyActivity(
  db: Kysely<ReadModelDatabase>,
  agency: string,
  fromDay: string,
  toDay: string,
): Promise<ActivityDay[]> {
  const rows = await db
    .selectFrom('agency_activity_daily')
    .select(['day', 'event_type', 'count'])
    .where('agency', '=', agency)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .orderBy('day')
    .orderBy('event_type')
    .execute();
  return rows.map((r) => ({ day: r.day, eventType: r.event_type, count: Number(r.count) }));
}
