/**
 * §4 一事不再罚 (Administrative Penalty Law art. 29): a second penalty decision against the same
 * party for the same violation — same violation code, or a legal-basis article in common —
 * with overlapping violation periods, by any agency. The alert names the agency whose case was
 * opened first, which has jurisdiction (art. 25).
 */
import { alertIdOf, type DecisionRef } from './alerts.js';
import { agencyName, iso, sortedUnique, type AlertDraft, type RuleContext } from './context.js';
import type { BusinessState, CaseRecord, DecisionRecord } from './types.js';

/** Articles compare without spaces and title marks: 《食品安全法》第一百二十二条 = 食品安全法 第一百二十二条. */
export const normaliseArticle = (a: string): string => a.replace(/[\s《》<>]/g, '');

type Interval = readonly [number, number] | undefined;

function periodOf(d: DecisionRecord, c: CaseRecord | undefined): Interval {
  const from = d.from ?? (d.to === undefined ? c?.from : undefined);
  const to = d.to ?? (d.from === undefined ? c?.to : undefined);
  if (from === undefined && to === undefined) return undefined;
  return [from ?? to!, to ?? from!];
}

/** Unknown periods overlap: a needless check is cheaper than a second fine. */
const overlaps = (a: Interval, b: Interval): boolean =>
  a === undefined || b === undefined || (a[0] <= b[1] && b[0] <= a[1]);

const refOf = (d: DecisionRecord, c: CaseRecord | undefined): DecisionRef => {
  const p = periodOf(d, c);
  return {
    agency: d.agency,
    caseId: d.caseId,
    decisionNo: d.decisionNo,
    eventId: d.eventId,
    violationCode: d.violationCode,
    legalBasisArticles: d.articles,
    decidedAt: iso(d.at),
    caseOpenedAt: c === undefined ? undefined : iso(c.openedAt),
    violationFrom: p === undefined ? undefined : iso(p[0]),
    violationTo: p === undefined ? undefined : iso(p[1]),
  };
};

export const decisionMember = (d: DecisionRecord): string => `D:${d.key}`;

export function repeatPenaltyDrafts(ctx: RuleContext, b: BusinessState, d: DecisionRecord): AlertDraft[] {
  if (d.revokedBy !== undefined) return [];
  const out: AlertDraft[] = [];
  const caseOf = (x: DecisionRecord) => b.cases.get(x.key);
  const mine = new Set(d.articles.map(normaliseArticle));
  for (const o of b.decisions.values()) {
    if (o.key === d.key || o.revokedBy !== undefined) continue;
    const common = o.articles.filter((a) => mine.has(normaliseArticle(a)));
    const sameCode = o.violationCode === d.violationCode;
    if ((!sameCode && common.length === 0) || !overlaps(periodOf(d, caseOf(d)), periodOf(o, caseOf(o))))
      continue;
    // First opened: the case-opened time where known, else the decision time; ties by key.
    const opened = (x: DecisionRecord) => caseOf(x)?.openedAt ?? x.at;
    const [first, second] =
      opened(d) < opened(o) || (opened(d) === opened(o) && d.key < o.key) ? [d, o] : [o, d];
    const refs = [refOf(first, caseOf(first)), refOf(second, caseOf(second))] as const;
    out.push({
      members: [decisionMember(first), decisionMember(second)],
      recheck: decisionMember(d),
      at: Math.max(d.at, o.at),
      body: {
        kind: 'repeat_penalty',
        alertId: alertIdOf(
          'repeat_penalty',
          [`B:${b.uscc}`, decisionMember(d), decisionMember(o)],
          ctx.sha256,
        ),
        uscc: b.uscc,
        agencies: sortedUnique([d.agency, o.agency]),
        causedBy: sortedUnique([d.eventId, o.eventId]),
        summary: {
          zh: `一事不再罚：${agencyName(second.agency)}决定书 ${second.decisionNo} 与${agencyName(first.agency)}决定书 ${first.decisionNo} 针对同一违法行为（${sameCode ? `违法行为代码 ${d.violationCode}` : `共同依据 ${common.join('、')}`}），违法期间重叠；${agencyName(first.agency)}先立案（${first.caseId}），依《行政处罚法》第二十五条由其管辖`,
          en: `Repeat penalty: decisions ${first.decisionNo} (${first.agency}) and ${second.decisionNo} (${second.agency}) punish the same violation (${sameCode ? `code ${d.violationCode}` : `common basis ${common.join(', ')}`}) over overlapping periods; ${first.agency} opened its case ${first.caseId} first and has jurisdiction (art. 25)`,
        },
        details: {
          decisions: refs,
          sameViolationCode: sameCode,
          commonArticles: common,
          firstOpened: { agency: first.agency, caseId: first.caseId, openedAt: iso(opened(first)) },
        },
      },
    });
  }
  return out;
}
