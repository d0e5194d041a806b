/**
 * Businesses: search, profile and history. Every read of a profile or a history is written to
 * the access log (who, roles, which business, when, what was asked, the answer's status).
 */
import { z } from 'zod';
import { HubError } from '@hub/domain';
import type { Principal } from '../../auth/roles.js';
import type { AccessRecord } from '../../access-log/access-log.js';
import { getBusinessName, searchBusinesses, type SearchKey } from '../../store/businesses.js';
import { getHistoryRows, hasHistory, type HistoryPosition } from '../../store/history.js';
import { waitingAt } from '../../store/lists.js';
import { getProfile } from '../../store/profile.js';
import { coordinationOfBusiness } from '../../store/alerts.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import {
  agenciesParam,
  boundParam,
  checkRange,
  cursorParam,
  eventTypesParam,
  limitParam,
  timeParam,
  usccParam,
} from '../params.js';
import { agencyName, maskFor, presentEventJson } from '../present.js';
import { route, type Context } from '../route.js';
import { HistoryPageSchema, ProfileSchema, SearchPageSchema } from '../schemas.js';

const usccPath = z.strictObject({ uscc: usccParam });

const notFound = (uscc: string, asOf?: string): HubError =>
  new HubError(
    'NOT_FOUND',
    asOf === undefined
      ? `平台没有该企业的任何记录 (the hub holds no records of business ${uscc})`
      : `截至 ${asOf} 平台没有该企业的任何记录 (the hub held no records of business ${uscc} as of ${asOf})`,
    { issues: [{ field: 'uscc', message: '未找到该企业 (unknown business)' }] },
  );

function logAccess(
  ctx: Context<unknown, unknown>,
  uscc: string,
  resource: AccessRecord['resource'],
  status: number,
): Promise<void> {
  const p = ctx.principal as Principal;
  const q = ctx.req.url.indexOf('?');
  return ctx.deps.accessLog.record({
    tokenId: p.tokenId,
    subject: p.subject,
    roles: p.roles,
    uscc,
    resource,
    query: q >= 0 ? ctx.req.url.slice(q + 1) : undefined,
    status,
  });
}

const searchRoute = route({
  operationId: 'searchBusinesses',
  url: '/v1/businesses',
  summary: '企业检索 Search businesses by code or name',
  description:
    '按统一社会信用代码前缀或名称（中文，前缀匹配优先，其次包含匹配）检索。Code prefix, or name (prefix matches first, then contains).',
  tags: ['businesses'],
  resource: 'business.search',
  query: z.strictObject({
    q: z
      .string()
      .trim()
      .min(1, '检索词不能为空 (q must not be empty)')
      .max(100, '检索词最长100字 (q is at most 100 characters)')
      .meta({ description: '代码前缀或名称片段 (code prefix or part of the name)', example: '示例商贸' }),
    cursor: cursorParam.optional(),
    limit: limitParam(20, 100),
  }),
  response: SearchPageSchema,
  async handler({ db, query }) {
    const fingerprint = { q: query.q };
    const after = query.cursor
      ? (decodeCursor(query.cursor, fingerprint, ['number', 'string', 'string']) as SearchKey)
      : undefined;
    const { hits, next } = await searchBusinesses(db, { q: query.q, after, limit: query.limit });
    return { q: query.q, items: hits, nextCursor: next ? encodeCursor(next, fingerprint) : null };
  },
});

const profileRoute = route({
  operationId: 'getBusinessProfile',
  url: '/v1/businesses/:uscc',
  summary: '企业档案 Business profile',
  description:
    '企业、涉及部门、最近的检查、处罚案件、移送和投诉、本期检查频次与协同预警数。每次读取记入访问日志 (every read is logged). ' +
    '`inspectionBurden`: visits across all agencies in the current period (a joint inspection counts once).',
  tags: ['businesses'],
  resource: 'business.profile',
  params: usccPath,
  response: ProfileSchema,
  errors: [404],
  async handler(ctx) {
    const { uscc } = ctx.params;
    const profile = await getProfile(ctx.db, uscc);
    await logAccess(ctx, uscc, 'profile', profile ? 200 : 404);
    if (!profile) throw notFound(uscc);
    const p = ctx.principal;
    return {
      business: profile.business,
      agencies: profile.agencies.map((a) => ({ ...a, agencyName: agencyName(a.agency) })),
      recentInspections: profile.recentInspections,
      penaltyCases: profile.penaltyCases.map((c) => maskFor(p, c, 'partyPerson')),
      transfers: profile.transfers.map((t) => ({ ...t, ...waitingAt(t, ctx.deps.now().toISOString()) })),
      recentComplaints: profile.recentComplaints.map((c) => maskFor(p, c, 'complainant')),
      ...(await coordinationOfBusiness(ctx.db, uscc, ctx.deps.now().toISOString())),
    };
  },
});

const historyRoute = route({
  operationId: 'getBusinessHistory',
  url: '/v1/businesses/:uscc/history',
  summary: '企业执法历史 A business’s history across all agencies',
  description:
    '按发生时间（其次流序号）排序的全部部门事件；支持按部门、事件类型、时间过滤和稳定的游标分页。' +
    '`asOf` 回答平台在该时刻显示的内容：只含该时刻前记录的事件，更正/撤回只在其记录时刻不晚于 asOf 时生效。' +
    'Events in occurred-at order (then stream sequence). `asOf` answers what the hub showed at that time. ' +
    'Every read is logged.',
  tags: ['businesses'],
  resource: 'business.history',
  params: usccPath,
  query: z.strictObject({
    agency: agenciesParam.optional(),
    eventType: eventTypesParam.optional(),
    from: boundParam('from').optional().meta({ description: '发生时间下限（含）occurred at or after' }),
    to: boundParam('to').optional().meta({ description: '发生时间上限（含）occurred at or before' }),
    asOf: timeParam.optional().meta({ description: '按该时刻平台所示作答 (as the hub stood at this time)' }),
    cursor: cursorParam.optional(),
    limit: limitParam(50, 500),
  }),
  response: HistoryPageSchema,
  errors: [404],
  async handler(ctx) {
    const { uscc } = ctx.params;
    const { agency, eventType, from, to, asOf, cursor, limit } = ctx.query;
    checkRange(from, to);
    const fingerprint = { uscc, agency, eventType, from, to, asOf };
    const k = cursor ? decodeCursor(cursor, fingerprint, ['string', 'number']) : undefined;
    const after: HistoryPosition | undefined = k
      ? { occurredAt: String(k[0]), seq: Number(k[1]) }
      : undefined;
    // Asked together: on PostgreSQL each is a round trip on a connection of its own, so the read
    // waits for the slowest, not for their sum. A page read for an unknown business is dropped.
    const [business, heldThen, page] = await Promise.all([
      getBusinessName(ctx.db, uscc),
      asOf === undefined ? true : hasHistory(ctx.db, uscc, asOf),
      getHistoryRows(ctx.db, uscc, { agencies: agency, eventTypes: eventType, from, to, asOf, after, limit }),
    ]);
    if (business === undefined || !heldThen) {
      await logAccess(ctx, uscc, 'history', 404);
      throw notFound(uscc, asOf);
    }
    await logAccess(ctx, uscc, 'history', 200);
    // Serialised here, the payloads as stored (presentEventJson): the same JSON as returning
    // { uscc, name, asOf, limit, items, nextCursor } would give.
    const head = JSON.stringify({
      uscc,
      name: asOf === undefined ? business.name : (nameAsOf(page.events) ?? business.name),
      asOf: asOf ?? null,
      limit,
    });
    const items = page.events.map((e) => presentEventJson(ctx.principal, e)).join(',');
    const nextCursor = page.next ? encodeCursor([page.next.occurredAt, page.next.seq], fingerprint) : null;
    return ctx.reply
      .type('application/json; charset=utf-8')
      .send(`${head.slice(0, -1)},"items":[${items}],"nextCursor":${JSON.stringify(nextCursor)}}`);
  },
});

/** The name as the page's latest event gave it (a rename after asOf must not show). */
const nameAsOf = (events: readonly { businessName: string | null; seq: number }[]): string | null =>
  [...events].sort((a, b) => b.seq - a.seq).find((e) => e.businessName)?.businessName ?? null;

export const businessRoutes = [searchRoute, profileRoute, historyRoute];
