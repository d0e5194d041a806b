/**
 * Lists across businesses: published penalty decisions (公示), transfers to police and their
 * state (两法衔接), complaints (投诉举报).
 */
import { z } from 'zod';
import type { Access } from '../../auth/roles.js';
import { listComplaints, listPublishedDecisions, listTransfers, type ListKey } from '../../store/lists.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import {
  agenciesParam,
  boundParam,
  checkRange,
  cursorParam,
  limitParam,
  timeParam,
  usccParam,
} from '../params.js';
import { agencyName, maskFor } from '../present.js';
import { route } from '../route.js';
import { ComplaintsPageSchema, PublishedDecisionsPageSchema, TransfersPageSchema } from '../schemas.js';

const common = {
  agency: agenciesParam.optional(),
  uscc: usccParam.optional(),
  cursor: cursorParam.optional(),
  limit: limitParam(50, 500),
};

const after = (cursor: string | undefined, fingerprint: unknown, size: number): ListKey | undefined =>
  cursor
    ? (decodeCursor(cursor, fingerprint, Array(size).fill('string') as 'string'[]) as ListKey)
    : undefined;

const next = (key: ListKey | undefined, fingerprint: unknown): string | null =>
  key ? encodeCursor(key, fingerprint) : null;

const publishedRoute = route({
  operationId: 'listPublishedDecisions',
  url: '/v1/penalty-decisions',
  summary: '行政处罚决定公示 Published penalty decisions',
  description:
    '已公示且未撤销的处罚决定，最新在前；不含当事人个人信息。Published and not revoked, newest first; no personal data.',
  tags: ['penalties'],
  resource: 'penalty.published',
  query: z.strictObject({
    ...common,
    from: boundParam('from').optional().meta({ description: '公示时间下限 published at or after' }),
    to: boundParam('to').optional().meta({ description: '公示时间上限 published at or before' }),
  }),
  response: PublishedDecisionsPageSchema,
  async handler({ db, query }) {
    const { cursor, limit, agency, uscc, from, to } = query;
    checkRange(from, to);
    const fingerprint = { agency, uscc, from, to };
    const page = await listPublishedDecisions(db, {
      agencies: agency,
      uscc,
      from,
      to,
      after: after(cursor, fingerprint, 3),
      limit,
    });
    return {
      items: page.decisions.map((d) => ({ ...d, agencyName: agencyName(d.agency) })),
      nextCursor: next(page.next, fingerprint),
    };
  },
});

const ownAgencies = (access: Access): readonly string[] | undefined =>
  access.kind === 'agencies' ? access.agencies : undefined;

const transfersRoute = route({
  operationId: 'listTransfers',
  url: '/v1/transfers',
  summary: '移送公安及其状态 Transfers to police and their state',
  description:
    '最新在前。`at`（默认当前时间）衡量公安待决天数，超过3日为 overdue。部门角色只看本部门移送或移送给本部门的。' +
    'Newest first; `at` (default now) measures how long the police have had it; an agency sees only its own.',
  tags: ['transfers'],
  resource: 'transfer.list',
  query: z.strictObject({
    ...common,
    policeAgency: agenciesParam.optional(),
    status: z.enum(['transferred', 'accepted', 'declined']).optional(),
    overdue: z
      .enum(['true', 'false'])
      .optional()
      .meta({ description: '只看公安超过3日未决定的 (only those undecided for over 3 days at `at`)' }),
    from: boundParam('from').optional().meta({ description: '移送时间下限 transferred at or after' }),
    to: boundParam('to').optional().meta({ description: '移送时间上限 transferred at or before' }),
    at: timeParam
      .optional()
      .meta({ description: '计算待决天数的时刻，默认当前 (instant to measure waiting at; default now)' }),
  }),
  response: TransfersPageSchema,
  async handler({ db, query, access, deps }) {
    const { cursor, limit, agency, uscc, from, to, policeAgency, status, overdue } = query;
    checkRange(from, to);
    const at = query.at ?? deps.now().toISOString();
    const fingerprint = {
      agency,
      uscc,
      from,
      to,
      policeAgency,
      status,
      overdue,
      at,
      own: ownAgencies(access),
    };
    let key = after(cursor, fingerprint, 4);
    const items = [];
    // `overdue` depends on `at`, not on a column: filter here, reading on until the page is full.
    for (;;) {
      const page = await listTransfers(db, {
        agencies: agency,
        policeAgencies: policeAgency,
        involving: ownAgencies(access),
        status,
        uscc,
        from,
        to,
        at,
        after: key,
        limit,
      });
      items.push(
        ...page.transfers.filter((t) => overdue === undefined || t.overdue === (overdue === 'true')),
      );
      key = page.next;
      if (items.length >= limit || key === undefined) break;
    }
    const shown = items.slice(0, limit);
    const last = shown[shown.length - 1];
    const more = items.length > limit || (key !== undefined && last !== undefined);
    return {
      at,
      items: shown,
      nextCursor:
        more && last
          ? next([last.transferredAt, last.agency, last.caseId, last.transferNo], fingerprint)
          : null,
    };
  },
});

const complaintsRoute = route({
  operationId: 'listComplaints',
  url: '/v1/complaints',
  summary: '投诉举报 Complaints and reports',
  description:
    '最新在前。投诉人身份除记录部门和监督办公室外脱敏。Newest first; the complainant is masked except for the recording agency and the supervision office.',
  tags: ['complaints'],
  resource: 'complaint.list',
  query: z.strictObject({
    ...common,
    from: boundParam('from').optional().meta({ description: '受理时间下限 received at or after' }),
    to: boundParam('to').optional().meta({ description: '受理时间上限 received at or before' }),
  }),
  response: ComplaintsPageSchema,
  async handler({ db, query, principal }) {
    const { cursor, limit, agency, uscc, from, to } = query;
    checkRange(from, to);
    const fingerprint = { agency, uscc, from, to };
    const page = await listComplaints(db, {
      agencies: agency,
      uscc,
      from,
      to,
      after: after(cursor, fingerprint, 3),
      limit,
    });
    return {
      items: page.complaints.map((c) => maskFor(principal, c, 'complainant')),
      nextCursor: next(page.next, fingerprint),
    };
  },
});

export const listRoutes = [publishedRoute, transfersRoute, complaintsRoute];
