/** What the background and the planted episodes share: agencies, matters, times, penalty cases. */
import {
  CURRENT_CATALOGUE,
  mattersLedBy,
  withUsccCheck,
  type AlertKind,
  type LegalRuleCode,
} from '@hub/domain';
import type { CanonicalEvent, Emitter } from './emitter.js';
import type { Random } from './random.js';

export interface EpisodeContext {
  readonly rng: Random;
  readonly ev: Emitter;
  readonly yearStart: number;
  expect(kind: AlertKind, n?: number): void;
  expectWithdrawn(kind: AlertKind): void;
  /** A legal alert of this kind and rule (counted by kind in `planted` too). */
  expectRule(kind: AlertKind, rule: LegalRuleCode): void;
}

export const DAY = 86_400_000;
/** Agencies that inspect in the scenario; each inspects the matters it leads. */
export const INSPECTING = [
  'GSJ',
  'ZJJ',
  'SYJ',
  'JMZX',
  'CGJ',
  'GHJ',
  'FGJ',
  'FGJS',
  'GTJ',
  'SWJ',
  'GAJ',
  'XFDD',
  'AJJ',
  'JTJ',
  'WGXJ',
  'WSJ',
  'NYJ',
];

export const usccOf = (n: number): string => withUsccCheck(`91350100MA${String(n).padStart(7, '0')}`);

export function mattersFor(rng: Random, agency: string): string[] {
  const led = mattersLedBy(agency, CURRENT_CATALOGUE).map((m) => m.code);
  const first = rng.pick(led);
  const second = rng.pick(led);
  return first === second ? [first] : [first, second].sort();
}

/** Working hours in China (09:00–16:00 CST) on a day of the year. */
export const workTime = (yearStart: number, day: number, rng: Random) =>
  yearStart + day * DAY + 9 * 3_600_000 + rng.int(0, 7 * 60) * 60_000;

/** A penalty case through to payment at the treasury (缴罚分离). */
export function penaltyCase(
  ctx: EpisodeContext,
  agency: string,
  uscc: string,
  name: string,
  caseId: string,
  openedAt: number,
  matters: string[],
  v: { code: string; articles?: string[]; from: number; to: number; decideAfterDays?: number },
): { decision: CanonicalEvent; decisionNo: string } {
  const { ev, rng } = ctx;
  const articles = v.articles ?? matters.map((m) => CURRENT_CATALOGUE.byCode.get(m)?.legalBasis ?? m);
  ev.emit(agency, uscc, name, openedAt, {
    penaltyCaseOpened: {
      caseId,
      matterCodes: matters,
      facts: '经查，当事人存在违法行为',
      violationFrom: ev.iso(v.from),
      violationTo: ev.iso(v.to),
      officers: ev.officers(agency),
    },
  });
  const amount = rng.int(1, 50) * 100_000;
  ev.emit(agency, uscc, name, openedAt + 7 * DAY, {
    penaltyNoticeServed: { caseId, proposedAmountFen: String(amount), hearingRightsNotified: true },
  });
  const decidedAt = openedAt + (v.decideAfterDays ?? rng.int(20, 40)) * DAY;
  const decisionNo = `${agency}罚决〔${new Date(decidedAt).getUTCFullYear()}〕${caseId.slice(-8)}号`;
  const decision = ev.emit(agency, uscc, name, decidedAt, {
    penaltyDecided: {
      caseId,
      decisionNo,
      violationCode: v.code,
      legalBasisArticles: articles,
      amountFen: String(amount),
      violationFrom: ev.iso(v.from),
      violationTo: ev.iso(v.to),
    },
  });
  // Served the next day and published the day after: inside both 7-working-day clocks.
  ev.emit(agency, uscc, name, decidedAt + DAY, { decisionServed: { caseId, decisionNo } });
  ev.emit(agency, uscc, name, decidedAt + 2 * DAY, { decisionPublished: { caseId, decisionNo } });
  ev.emit('CZJ', uscc, name, decidedAt + rng.int(3, 15) * DAY, {
    paymentReceived: {
      caseId,
      decisionNo,
      decidingAgency: agency,
      amountFen: String(amount),
      bank: '县农商银行',
      receiptNo: `PJ${caseId.slice(-8)}`,
    },
  });
  return { decision, decisionNo };
}
