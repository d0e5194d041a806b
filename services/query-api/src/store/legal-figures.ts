/**
 * The legal side of 网上考评, per agency and period (definitions in docs/legal-rules.md §6):
 *
 * - `procedure`: decisions made in the period, and how many carry an open (not withdrawn)
 *   procedure-order alert (告知、听证、法制审核、集体讨论); `compliance` = 1 − breached/decided.
 * - `deadlines`: per clock kind, the agency's clocks whose deadline falls in the period, by status
 *   (`met`, `late`, `overdue`, `open`, `stopped`); `compliance` = met / (met + late + overdue).
 *   `publication` is 公示 timeliness.
 * - `reviews`: 行政复议/行政诉讼 outcomes recorded in the period; `correctionRate` = outcomes other
 *   than upheld / all outcomes (changed, revoked or confirmed unlawful).
 * - `caseFiles`: 案卷评查 of the agency's cases in the period: count and mean score (0–100).
 * - `retrospective`: of the agency's inspections completed in the period, how many are named in
 *   a retrospective `duplicate_inspection` alert (found only when the records were loaded late,
 *   after the coordination state had forgotten their neighbours); `duplicateRate` = that share.
 *
 * Everything is read from the read model (alerts, legal_clocks, timeline): no wall clock.
 */
import type { Kysely } from 'kysely';
import type { ReadModelDatabase } from '@hub/read-model';
import type { DuplicateNames, Period } from './evaluation.js';

const ORDER_RULES = new Set([
  'NOTICE_MISSING',
  'HEARING_RIGHTS_NOT_NOTIFIED',
  'HEARING_NOT_HELD',
  'LEGAL_REVIEW_MISSING',
  'COLLECTIVE_DISCUSSION_MISSING',
]);
const CLOCK_KINDS = ['service', 'publication', 'transfer_decision', 'handover', 'police_decision'] as const;

export interface ClockFigures {
  met: number;
  late: number;
  overdue: number;
  open: number;
  stopped: number;
  compliance: number | null;
}

export interface LegalFigures {
  procedure: { decided: number; breached: number; compliance: number | null };
  deadlines: Record<(typeof CLOCK_KINDS)[number], ClockFigures>;
  reviews: { concluded: number; corrected: number; correctionRate: number | null };
  caseFiles: { reviewed: number; meanScore: number | null };
  retrospective: { completed: number; duplicates: number; duplicateRate: number | null };
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

export async function legalFigures(
  db: Kysely<ReadModelDatabase>,
  agency: string,
  period: Period,
  names: DuplicateNames,
): Promise<LegalFigures> {
  const decided = await db
    .selectFrom('penalty_cases')
    .select(['case_id'])
    .where('agency', '=', agency)
    .where('decided_at', '>=', period.from)
    .where('decided_at', '<=', period.to)
    .execute();
  const decidedIds = new Set(decided.map((r) => r.case_id));
  const alerts = await db
    .selectFrom('alerts')
    .innerJoin('alert_agencies', 'alert_agencies.alert_id', 'alerts.alert_id')
    .select(['alerts.detail_json'])
    .where('alert_agencies.agency', '=', agency)
    .where('alerts.kind', '=', 'procedure')
    .where('alerts.status', '!=', 'withdrawn')
    .execute();
  const breachedCases = new Set<string>();
  for (const a of alerts) {
    const d = (JSON.parse(a.detail_json) as { details?: { rule?: string; caseId?: string } }).details;
    if (d?.rule && ORDER_RULES.has(d.rule) && d.caseId && decidedIds.has(d.caseId))
      breachedCases.add(d.caseId);
  }

  const clocks = await db
    .selectFrom('legal_clocks')
    .select(['kind', 'status'])
    .where('agency', '=', agency)
    .where('due_at', '>=', period.from)
    .where('due_at', '<=', period.to)
    .execute();
  const deadlines = Object.fromEntries(
    CLOCK_KINDS.map((k) => {
      const of = clocks.filter((c) => c.kind === k);
      const n = (s: string) => of.filter((c) => c.status === s).length;
      const f: ClockFigures = {
        met: n('met'),
        late: n('late'),
        overdue: n('overdue'),
        open: n('open'),
        stopped: n('stopped'),
        compliance: ratio(n('met'), n('met') + n('late') + n('overdue')),
      };
      return [k, f];
    }),
  ) as LegalFigures['deadlines'];

  const events = await db
    .selectFrom('timeline')
    .select(['event_type', 'agency', 'payload_json'])
    .where('event_type', 'in', ['decisionReviewConcluded', 'caseFileReviewed'])
    .where('status', '=', 'active')
    .where('occurred_at', '>=', period.from)
    .where('occurred_at', '<=', period.to)
    .execute();
  let concluded = 0;
  let corrected = 0;
  const scores: number[] = [];
  for (const e of events) {
    const p = JSON.parse(e.payload_json) as { outcome?: string; caseAgency?: string; score?: number };
    if (e.event_type === 'decisionReviewConcluded' && e.agency === agency) {
      concluded += 1;
      if (p.outcome !== 'REVIEW_OUTCOME_UPHELD') corrected += 1;
    } else if (
      e.event_type === 'caseFileReviewed' &&
      p.caseAgency === agency &&
      typeof p.score === 'number'
    ) {
      scores.push(p.score);
    }
  }
  const retrospective = retrospectiveFigures(names);
  return {
    procedure: {
      decided: decidedIds.size,
      breached: breachedCases.size,
      compliance: decidedIds.size === 0 ? null : ratio(decidedIds.size - breachedCases.size, decidedIds.size),
    },
    deadlines,
    reviews: { concluded, corrected, correctionRate: ratio(corrected, concluded) },
    caseFiles: {
      reviewed: scores.length,
      meanScore:
        scores.length === 0
          ? null
          : Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10,
    },
    retrospective,
  };
}

/** 追溯重复检查率 (docs/legal-rules.md §6): duplicates found only by a retrospective check. */
function retrospectiveFigures(names: DuplicateNames): LegalFigures['retrospective'] {
  const duplicates = names.completed.filter((id) => names.retrospective.has(id)).length;
  const completed = names.completed.length;
  return { completed, duplicates, duplicateRate: ratio(duplicates, completed) };
}
