/**
 * Planted episodes for the legal rules: procedure breaches, limitation, overdue 两法衔接
 * transfers, each on a business of its own so the alerts are known exactly (by kind and by
 * rule); near misses (a transfer handled in time, a late case with harm inside five years)
 * must raise nothing. Deadlines fire from the scenario's daily clock ticks.
 */
import { DAY, mattersFor, penaltyCase, workTime, type EpisodeContext } from './common.js';

const HOUR = 3_600_000;
const start = (ctx: EpisodeContext) => workTime(ctx.yearStart, ctx.rng.int(10, 300), ctx.rng);

function opened(
  ctx: EpisodeContext,
  agency: string,
  uscc: string,
  name: string,
  caseId: string,
  at: number,
  extra = {},
) {
  ctx.ev.emit(agency, uscc, name, at, {
    penaltyCaseOpened: {
      caseId,
      matterCodes: mattersFor(ctx.rng, agency),
      violationFrom: ctx.ev.iso(at - 40 * DAY),
      violationTo: ctx.ev.iso(at - 10 * DAY),
      officers: ctx.ev.officers(agency),
      ...extra,
    },
  });
}

function decided(
  ctx: EpisodeContext,
  agency: string,
  uscc: string,
  name: string,
  caseId: string,
  at: number,
  extra = {},
) {
  const decisionNo = `${agency}罚决〔L〕${caseId}号`;
  ctx.ev.emit(agency, uscc, name, at, {
    penaltyDecided: {
      caseId,
      decisionNo,
      violationCode: `V-${caseId}`,
      legalBasisArticles: [`《行政处罚法》案例条款 ${caseId}`],
      amountFen: '200000',
      ...extra,
    },
  });
  return decisionNo;
}

function transfer(
  ctx: EpisodeContext,
  agency: string,
  uscc: string,
  name: string,
  at: number,
  steps: { approveAfter?: number; handoverAfter?: number; fileAfter?: number },
) {
  const caseId = `${agency}-YS-${ctx.rng.hex(6)}`;
  const transferNo = `YS-${ctx.rng.hex(6)}`;
  const { ev } = ctx;
  ev.emit(agency, uscc, name, at, {
    transferReportMade: { caseId, transferNo, suspectedOffence: '涉嫌生产、销售伪劣产品罪' },
  });
  if (steps.approveAfter === undefined) return;
  const approved = at + steps.approveAfter;
  ev.emit(agency, uscc, name, approved, { transferApproved: { caseId, transferNo } });
  if (steps.handoverAfter === undefined) return;
  const handed = approved + steps.handoverAfter;
  ev.emit(agency, uscc, name, handed, {
    caseTransferredToPolice: {
      caseId,
      transferNo,
      policeAgency: 'GAJ',
      transferLetterRef: `${transferNo}-letter`,
      investigationReportRef: `${transferNo}-report`,
    },
  });
  if (steps.fileAfter === undefined) return;
  ev.emit('GAJ', uscc, name, handed + steps.fileAfter, {
    policeCaseFiled: { caseId, transferNo, policeCaseNo: `LA-${ctx.rng.hex(6)}` },
  });
}

export const LAW_EPISODES = [
  {
    name: 'procedure: decision without a prior notice',
    plant(ctx: EpisodeContext, uscc: string, name: string) {
      const t = start(ctx);
      const caseId = `GSJ-CX-${ctx.rng.hex(6)}`;
      opened(ctx, 'GSJ', uscc, name, caseId, t);
      const no = decided(ctx, 'GSJ', uscc, name, caseId, t + 20 * DAY);
      ctx.ev.emit('GSJ', uscc, name, t + 21 * DAY, { decisionServed: { caseId, decisionNo: no } });
      ctx.ev.emit('GSJ', uscc, name, t + 22 * DAY, { decisionPublished: { caseId, decisionNo: no } });
      ctx.expectRule('procedure', 'NOTICE_MISSING');
    },
  },
  {
    name: 'procedure: major decision without legal review or collective discussion, never published',
    plant(ctx: EpisodeContext, uscc: string, name: string) {
      const t = start(ctx);
      const caseId = `SYJ-CX-${ctx.rng.hex(6)}`;
      opened(ctx, 'SYJ', uscc, name, caseId, t);
      ctx.ev.emit('SYJ', uscc, name, t + 7 * DAY, {
        penaltyNoticeServed: { caseId, proposedAmountFen: '200000', hearingRightsNotified: true },
      });
      const no = decided(ctx, 'SYJ', uscc, name, caseId, t + 25 * DAY, { major: true });
      ctx.ev.emit('SYJ', uscc, name, t + 26 * DAY, { decisionServed: { caseId, decisionNo: no } });
      ctx.expectRule('procedure', 'LEGAL_REVIEW_MISSING');
      ctx.expectRule('procedure', 'COLLECTIVE_DISCUSSION_MISSING');
      ctx.expectRule('procedure', 'PUBLICATION_LATE');
    },
  },
  {
    name: 'limitation: case opened three years after the violation (and a near miss with harm)',
    plant(ctx: EpisodeContext, uscc: string, name: string) {
      const t = start(ctx);
      const old = { violationFrom: ctx.ev.iso(t - 1200 * DAY), violationTo: ctx.ev.iso(t - 1100 * DAY) };
      opened(ctx, 'AJJ', uscc, name, `AJJ-SX-${ctx.rng.hex(6)}`, t, old);
      ctx.expectRule('limitation', 'LIMITATION_EXPIRED');
      opened(ctx, 'AJJ', uscc, name, `AJJ-SX-${ctx.rng.hex(6)}`, t, {
        ...old,
        harmsLifeHealthOrFinance: true,
      });
    },
  },
  {
    name: 'transfer: no decision on the report; another never decided by police',
    plant(ctx: EpisodeContext, uscc: string, name: string) {
      const t = start(ctx);
      transfer(ctx, 'GSJ', uscc, name, t, {});
      ctx.expectRule('transfer_deadline', 'TRANSFER_DECISION_OVERDUE');
      transfer(ctx, 'ZJJ', uscc, name, t + 3 * DAY, { approveAfter: 2 * HOUR, handoverAfter: 20 * HOUR });
      ctx.expectRule('transfer_deadline', 'POLICE_DECISION_OVERDUE');
    },
  },
  {
    name: 'transfer: handed over after 30 hours, then filed; near miss handled in time',
    plant(ctx: EpisodeContext, uscc: string, name: string) {
      const t = start(ctx);
      transfer(ctx, 'SYJ', uscc, name, t, { approveAfter: DAY, handoverAfter: 30 * HOUR, fileAfter: DAY });
      ctx.expectRule('transfer_deadline', 'HANDOVER_OVERDUE');
      transfer(ctx, 'GSJ', uscc, name, t + 2 * DAY, {
        approveAfter: 3 * HOUR,
        handoverAfter: 23 * HOUR,
        fileAfter: DAY,
      });
    },
  },
  {
    name: 'near miss: the whole procedure in time',
    plant(ctx: EpisodeContext, uscc: string, name: string) {
      const t = start(ctx);
      const matters = mattersFor(ctx.rng, 'CGJ');
      penaltyCase(ctx, 'CGJ', uscc, name, `CGJ-OK-${ctx.rng.hex(6)}`, t, matters, {
        code: `V-${matters[0]}`,
        from: t - 30 * DAY,
        to: t - 5 * DAY,
      });
    },
  },
];
