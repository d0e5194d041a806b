/**
 * Planted episodes: each runs on a business of its own (no background activity), so the
 * alerts it must raise are known exactly. Near misses plant nothing and must raise nothing.
 */
import { CURRENT_CATALOGUE, leadAgencyFor } from '@hub/domain';
import { DAY, INSPECTING, mattersFor, penaltyCase, workTime, type EpisodeContext } from './common.js';
import type { Reason, Visit } from './emitter.js';
import type { Random } from './random.js';

interface Episode {
  readonly name: string;
  plant(ctx: EpisodeContext, uscc: string, name: string): void;
}

const ROUTINE: Reason[] = ['RANDOM_SELECTION', 'ANNUAL_PLAN', 'SPECIAL_CAMPAIGN'];

/** Distinct inspecting agencies. */
function agencies(rng: Random, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const a = rng.pick(INSPECTING);
    if (!out.includes(a)) out.push(a);
  }
  return out;
}

function visit(
  ctx: EpisodeContext,
  agency: string,
  at: number,
  tag: string,
  extra: Partial<Visit> = {},
): Visit {
  return {
    id: `${agency}-${tag}-${ctx.rng.hex(6)}`,
    at,
    reason: ctx.rng.pick(ROUTINE),
    matters: mattersFor(ctx.rng, agency),
    ...extra,
  };
}

const start = (ctx: EpisodeContext, maxDay = 240) =>
  workTime(ctx.yearStart, ctx.rng.int(10, maxDay), ctx.rng);

/** A joint inspection by two agencies at `at`, planned together. */
function jointInspection(ctx: EpisodeContext, uscc: string, name: string, at: number, tag: string): string[] {
  const pair = agencies(ctx.rng, 2);
  const joint = `JI-${tag}-${ctx.rng.hex(8)}`;
  for (const a of pair) {
    const v = visit(ctx, a, at, tag, { joint });
    ctx.ev.planned(a, uscc, name, at - 10 * DAY, v);
    ctx.ev.completed(a, uscc, name, v);
  }
  return pair;
}

export const EPISODES: readonly Episode[] = [
  {
    name: 'duplicate, two agencies (30 days inclusive)',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx);
      const gap = ctx.rng.chance(0.25) ? 30 * DAY : ctx.rng.int(0, 30 * 24 * 60) * 60_000;
      ctx.ev.completed(a, uscc, name, visit(ctx, a, t, 'DUP'));
      ctx.ev.completed(b, uscc, name, visit(ctx, b, t + gap, 'DUP'));
      ctx.expect('duplicate_inspection');
    },
  },
  {
    name: 'duplicate, same agency twice',
    plant(ctx, uscc, name) {
      const [a] = agencies(ctx.rng, 1) as [string];
      const t = start(ctx);
      ctx.ev.completed(a, uscc, name, visit(ctx, a, t, 'DUP1'));
      ctx.ev.completed(a, uscc, name, visit(ctx, a, t + ctx.rng.int(1, 29) * DAY, 'DUP2'));
      ctx.expect('duplicate_inspection');
    },
  },
  {
    name: 'near miss: 30 days + 1 ms',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx);
      ctx.ev.completed(a, uscc, name, visit(ctx, a, t, 'NM'));
      ctx.ev.completed(b, uscc, name, visit(ctx, b, t + 30 * DAY + 1, 'NM'));
    },
  },
  {
    name: 'near miss: complaint, follow-up or referral visit',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx);
      ctx.ev.completed(a, uscc, name, visit(ctx, a, t, 'EX'));
      const reason = ctx.rng.pick<Reason>(['COMPLAINT', 'FOLLOW_UP', 'REFERRAL']);
      ctx.ev.completed(b, uscc, name, visit(ctx, b, t + ctx.rng.int(1, 10) * DAY, 'EX', { reason }));
    },
  },
  {
    name: 'near miss: joint inspection members',
    plant(ctx, uscc, name) {
      jointInspection(ctx, uscc, name, start(ctx), 'JM');
    },
  },
  {
    name: 'overlapping plans merged into a joint inspection',
    plant(ctx, uscc, name) {
      const { ev, rng } = ctx;
      const [a, b] = agencies(rng, 2) as [string, string];
      const t = start(ctx);
      const va = visit(ctx, a, t, 'PL');
      const vb = visit(ctx, b, t + rng.int(0, 20) * DAY, 'PL');
      ev.planned(a, uscc, name, t - 15 * DAY, va);
      ev.planned(b, uscc, name, t - 10 * DAY, vb);
      ctx.expect('plan_overlap');
      // The agencies take up the proposal: one joint inspection on b's date, led by the lead body.
      const joint = `JI-PL-${rng.hex(8)}`;
      const lead = leadAgencyFor(CURRENT_CATALOGUE, [
        { agency: b, matterCodes: vb.matters },
        { agency: a, matterCodes: va.matters },
      ]);
      ev.emit(lead, uscc, name, t - 9 * DAY, {
        jointInspectionProposed: {
          jointInspectionId: joint,
          leadAgency: lead,
          cooperatingAgencies: [a, b].filter((x) => x !== lead),
          matterCodes: [...new Set([...va.matters, ...vb.matters])].sort(),
          inspectionIds: [va.id, vb.id],
          proposedFor: ev.iso(vb.at),
        },
      });
      for (const x of [a, b].filter((y) => y !== lead))
        ev.emit(x, uscc, name, t - 8 * DAY, { jointInspectionAccepted: { jointInspectionId: joint } });
      ev.completed(a, uscc, name, { ...va, at: vb.at, joint });
      ev.completed(b, uscc, name, { ...vb, joint });
    },
  },
  {
    name: 'plan against a recent inspection, visited anyway',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx);
      ctx.ev.completed(a, uscc, name, visit(ctx, a, t, 'RC'));
      const vb = visit(ctx, b, t + ctx.rng.int(5, 25) * DAY, 'RC');
      ctx.ev.planned(b, uscc, name, t + 2 * DAY, vb);
      ctx.ev.completed(b, uscc, name, vb);
      ctx.expect('plan_overlap');
      ctx.expect('duplicate_inspection');
    },
  },
  {
    name: 'overlapping plan cancelled',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx);
      const va = visit(ctx, a, t, 'CX');
      const vb = visit(ctx, b, t + 5 * DAY, 'CX');
      ctx.ev.planned(a, uscc, name, t - 10 * DAY, va);
      ctx.ev.planned(b, uscc, name, t - 8 * DAY, vb);
      ctx.ev.cancelled(b, uscc, name, t - 7 * DAY, vb.id);
      ctx.ev.completed(a, uscc, name, va);
      ctx.expect('plan_overlap');
      ctx.expectWithdrawn('plan_overlap');
    },
  },
  {
    name: 'duplicate withdrawn by a retraction',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx);
      const first = ctx.ev.completed(a, uscc, name, visit(ctx, a, t, 'RT'));
      const d = ctx.rng.int(1, 20) * DAY;
      ctx.ev.completed(b, uscc, name, visit(ctx, b, t + d, 'RT'));
      ctx.ev.retracted(first, t + d + DAY);
      ctx.expect('duplicate_inspection');
      ctx.expectWithdrawn('duplicate_inspection');
    },
  },
  {
    name: 'duplicate found after a date correction',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx);
      ctx.ev.completed(a, uscc, name, visit(ctx, a, t, 'CR'));
      const late = ctx.ev.completed(b, uscc, name, visit(ctx, b, t + 45 * DAY, 'CR'));
      const payload = {
        ...(late.inspectionCompleted as Record<string, unknown>),
        startedAt: ctx.ev.iso(t + 10 * DAY),
      };
      ctx.ev.corrected(late, t + 46 * DAY, 'inspectionCompleted', payload);
      ctx.expect('duplicate_inspection');
    },
  },
  {
    name: 'repeat penalty across agencies',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx, 200);
      const sameCode = ctx.rng.chance(0.5);
      const article = CURRENT_CATALOGUE.byCode.get(mattersFor(ctx.rng, a)[0]!)!.legalBasis;
      const ma = mattersFor(ctx.rng, a);
      const mb = mattersFor(ctx.rng, b);
      penaltyCase(ctx, a, uscc, name, `${a}-AJ-${ctx.rng.hex(6)}`, t, ma, {
        code: 'V-SAME',
        articles: [article],
        from: t - 90 * DAY,
        to: t - 10 * DAY,
        decideAfterDays: 30,
      });
      penaltyCase(ctx, b, uscc, name, `${b}-AJ-${ctx.rng.hex(6)}`, t + 5 * DAY, mb, {
        code: sameCode ? 'V-SAME' : 'V-OTHER',
        articles: sameCode ? ['《其他依据》第一条'] : ['《其他依据》第一条', article],
        from: t - 60 * DAY,
        to: t,
        decideAfterDays: 30,
      });
      ctx.expect('repeat_penalty');
    },
  },
  {
    name: 'near miss: same violation in another period, or after revocation',
    plant(ctx, uscc, name) {
      const [a, b] = agencies(ctx.rng, 2) as [string, string];
      const t = start(ctx, 200);
      const ma = mattersFor(ctx.rng, a);
      const revoke = ctx.rng.chance(0.5);
      const first = penaltyCase(ctx, a, uscc, name, `${a}-AJ-${ctx.rng.hex(6)}`, t, ma, {
        code: 'V-SAME',
        from: t - 200 * DAY,
        to: t - 150 * DAY,
        decideAfterDays: 20,
      });
      if (revoke) {
        ctx.ev.emit(a, uscc, name, t + 30 * DAY, {
          decisionRevoked: {
            caseId: (first.decision.penaltyDecided as { caseId: string }).caseId,
            decisionNo: first.decisionNo,
            reason: '行政复议决定撤销',
          },
        });
      }
      penaltyCase(ctx, b, uscc, name, `${b}-AJ-${ctx.rng.hex(6)}`, t + 40 * DAY, ma, {
        code: 'V-SAME',
        from: revoke ? t - 200 * DAY : t - 100 * DAY,
        to: revoke ? t - 150 * DAY : t - 50 * DAY,
        decideAfterDays: 20,
      });
    },
  },
  {
    name: 'routine visit inside a quiet period',
    plant(ctx, uscc, name) {
      const t = start(ctx, 200);
      const pair = jointInspection(ctx, uscc, name, t, 'QP');
      const c = ctx.rng.pick(INSPECTING.filter((x) => !pair.includes(x)));
      ctx.ev.completed(c, uscc, name, visit(ctx, c, t + ctx.rng.int(1, 90) * DAY, 'QP'));
      ctx.expect('quiet_period');
    },
  },
  {
    name: 'near miss: quiet period with a reason, or after it',
    plant(ctx, uscc, name) {
      const t = start(ctx, 200);
      const pair = jointInspection(ctx, uscc, name, t, 'QN');
      const c = ctx.rng.pick(INSPECTING.filter((x) => !pair.includes(x)));
      const withReason = ctx.rng.chance(0.5);
      const at = withReason ? t + ctx.rng.int(31, 90) * DAY : t + 90 * DAY + ctx.rng.int(1, 30 * DAY);
      ctx.ev.completed(
        c,
        uscc,
        name,
        visit(ctx, c, at, 'QN', withReason ? { quietReason: '安全生产专项整治，县政府统一部署' } : {}),
      );
    },
  },
  {
    name: 'inspection burden: five routine visits in a quarter',
    plant(ctx, uscc, name) {
      const q = ctx.rng.int(0, 2);
      const year = new Date(ctx.yearStart + DAY).getUTCFullYear();
      // 10:00 China time on the second day of the quarter.
      const qStart = Date.UTC(year, q * 3, 1) - 8 * 3_600_000 + DAY + 10 * 3_600_000;
      agencies(ctx.rng, 5).forEach((a, i) =>
        ctx.ev.completed(a, uscc, name, visit(ctx, a, qStart + i * 18 * DAY, 'BD')),
      );
      ctx.expect('inspection_burden');
      // Visits 18 days apart pair with their neighbours (4 duplicates); 36 days apart do not.
      ctx.expect('duplicate_inspection', 4);
    },
  },
];
