/**
 * Agencies: the list, and per-agency activity and evaluation figures for a period (网上考评).
 * An agency's own token sees only its own figures.
 */
import { z } from 'zod';
import { AGENCY_CODES, AGENCIES } from '@hub/domain';
import { forbidden } from '../../auth/authenticate.js';
import type { Access, Principal } from '../../auth/roles.js';
import { agencyActivity, agencyFigures, type Period } from '../../store/evaluation.js';
import { agencyParam, dayParam, invalidParams, timeParam } from '../params.js';
import { agencyName } from '../present.js';
import { route } from '../route.js';
import { ActivitySchema, AgencyListSchema, FiguresSchema } from '../schemas.js';

const CHINA = '+08:00';
const MAX_PERIOD_DAYS = 366 * 5;

function periodOf(fromDay: string, toDay: string): Period {
  if (fromDay > toDay) {
    const message = `起始日期晚于结束日期 (from ${fromDay} is after to ${toDay})`;
    throw invalidParams([
      { field: 'from', message },
      { field: 'to', message },
    ]);
  }
  const from = Date.parse(`${fromDay}T00:00:00${CHINA}`);
  const to = Date.parse(`${toDay}T00:00:00${CHINA}`) + 86_400_000 - 1;
  if ((to - from) / 86_400_000 > MAX_PERIOD_DAYS) {
    throw invalidParams([
      { field: 'to', message: `统计期间最长5年 (the period is at most ${MAX_PERIOD_DAYS} days)` },
    ]);
  }
  return { fromDay, toDay, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

function checkOwn(principal: Principal | undefined, access: Access, agency: string): void {
  if (access.kind === 'agencies' && !access.agencies.includes(agency) && principal) {
    throw forbidden(
      'agency.figures',
      principal,
      `部门只能查看本部门的数据 (an agency sees only its own figures)`,
    );
  }
}

const agencyPath = z.strictObject({ code: agencyParam });
const period = {
  from: dayParam.meta({ description: '统计起始日（含，北京时间）first day, Asia/Shanghai' }),
  to: dayParam.meta({ description: '统计截止日（含，北京时间）last day, Asia/Shanghai' }),
};

const listRoute = route({
  operationId: 'listAgencies',
  url: '/v1/agencies',
  summary: '执法部门 Agencies',
  tags: ['agencies'],
  resource: 'agency.list',
  needsReadModel: false,
  response: AgencyListSchema,
  handler() {
    return Promise.resolve({
      items: AGENCY_CODES.map((code) => {
        const a = AGENCIES[code];
        return {
          code,
          name: a?.name ?? code,
          en: a?.en ?? '',
          kind: a?.kind ?? '',
          domains: [...(a?.domains ?? [])],
        };
      }),
    });
  },
});

const figuresRoute = route({
  operationId: 'getAgencyEvaluation',
  url: '/v1/agencies/:code/evaluation',
  summary: '部门考评指标 Evaluation figures of an agency for a period',
  description:
    '期间内完成的检查（按事由）、重复检查占比、联合检查、按阶段的处罚案件、立案至决定的中位天数、' +
    '在 `at`（默认期间末）时公安超过3日未决定的移送、受理的投诉。' +
    'Inspections, duplicate share, joint inspections, penalty cases by stage, median days opening→decision, ' +
    'transfers waiting on police over 3 days at `at` (default: the period end), complaints.',
  tags: ['agencies'],
  resource: 'agency.figures',
  params: agencyPath,
  query: z.strictObject({
    ...period,
    at: timeParam
      .optional()
      .meta({ description: '衡量待决移送的时刻，默认期间末 (default: end of the period)' }),
  }),
  response: FiguresSchema,
  async handler({ db, params, query, access, principal }) {
    checkOwn(principal, access, params.code);
    const p = periodOf(query.from, query.to);
    const figures = await agencyFigures(db, params.code, p, query.at ?? p.to);
    return { ...figures, agencyName: agencyName(params.code) };
  },
});

const activityRoute = route({
  operationId: 'getAgencyActivity',
  url: '/v1/agencies/:code/activity',
  summary: '部门每日活动 Daily activity of an agency',
  description: '期间内每日各类事件数（北京时间）。Events per day and type (Asia/Shanghai days).',
  tags: ['agencies'],
  resource: 'agency.figures',
  params: agencyPath,
  query: z.strictObject(period),
  response: ActivitySchema,
  async handler({ db, params, query, access, principal }) {
    checkOwn(principal, access, params.code);
    const p = periodOf(query.from, query.to);
    const days = await agencyActivity(db, params.code, p.fromDay, p.toDay);
    const totals: Record<string, number> = {};
    for (const d of days) totals[d.eventType] = (totals[d.eventType] ?? 0) + d.count;
    return { agency: params.code, period: { from: p.fromDay, to: p.toDay }, totals, days };
  },
});

export const agencyRoutes = [listRoute, figuresRoute, activityRoute];
