/**
 * `POST /v1/checks/inspection` — the pre-visit check (issue 5 §3): before anything is planned,
 * is the visit clear to go, or which plans and visits of the same business conflict, and which
 * joint inspection is proposed instead. The business's own timeline is folded through the
 * coordination rules (they are per business, so this answers as the projector's state would),
 * then `checkPlannedInspection`. Read-only: nothing is recorded or published.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  DEFAULT_COORDINATION_SETTINGS,
  INSPECTION_REASONS,
  checkPlannedInspection,
  findMatter,
  type InspectionReason,
} from '@hub/domain';
import { sendProblem } from '@hub/platform';
import { authenticate, forbidden } from '../../auth/authenticate.js';
import { accessTo } from '../../auth/roles.js';
import { businessCoordinationState } from '../../store/alerts.js';
import { agencyParam, boundParam, parseParams, usccParam } from '../params.js';
import { readModelUnavailable, type Deps } from '../route.js';
import { InspectionCheckSchema } from '../schemas.js';

const reasons = INSPECTION_REASONS.flatMap((r) => [r, `INSPECTION_REASON_${r}`]);

export const CheckBodySchema = z.strictObject({
  uscc: usccParam,
  agency: agencyParam.meta({ description: '计划检查的部门 (the agency planning the visit)' }),
  matterCodes: z
    .array(
      z.string().refine((c) => findMatter(c) !== undefined, {
        message: '执法事项目录中没有该事项 (not in the matter catalogue)',
      }),
    )
    .min(1, '至少一个执法事项 (at least one matter code)')
    .max(50)
    .meta({ example: ['D1-SYJ-001'] }),
  date: boundParam('from').meta({
    description:
      '计划检查时间；仅日期时为当日零点（北京时间） (planned time; a date means its start in China time)',
    example: '2026-05-10T09:00:00+08:00',
  }),
  reason: z
    .enum(reasons as [string, ...string[]])
    .optional()
    .meta({
      description: '检查事由，默认双随机 (default RANDOM_SELECTION); exempt reasons are always clear',
    }),
  jointInspectionId: z.string().max(64).optional(),
});

export function registerChecks(app: FastifyInstance, deps: Deps): void {
  app.post('/v1/checks/inspection', async (req, reply) => {
    const principal = authenticate(deps.tokens, req.headers.authorization);
    const access = accessTo(principal, 'inspection.check');
    if (access.kind === 'denied') throw forbidden('inspection.check', principal);
    const body = parseParams(CheckBodySchema, req.body);
    if (access.kind === 'agencies' && !access.agencies.includes(body.agency)) {
      throw forbidden(
        'inspection.check',
        principal,
        `部门只能核查本部门的检查计划 (an agency checks only its own planned visits, not ${body.agency}'s)`,
      );
    }
    const state = deps.readModel.get();
    if (!state.ok) return sendProblem(reply, readModelUnavailable(state.reason));
    const position = await state.db
      .selectFrom('projection_position')
      .select('last_seq')
      .where('name', '=', 'events')
      .executeTakeFirst();
    const settings = DEFAULT_COORDINATION_SETTINGS;
    // Like a look at the business's file (its recent inspections): recorded in the access log.
    await deps.accessLog.record({
      tokenId: principal.tokenId,
      subject: principal.subject,
      roles: principal.roles,
      uscc: body.uscc,
      resource: 'inspection-check',
      query: JSON.stringify(body),
      status: 200,
    });
    const coordination = await businessCoordinationState(state.db, body.uscc, settings);
    const reason = body.reason?.startsWith('INSPECTION_REASON_')
      ? body.reason
      : body.reason && `INSPECTION_REASON_${body.reason}`;
    const check = checkPlannedInspection(
      coordination,
      {
        uscc: body.uscc,
        agency: body.agency,
        matterCodes: body.matterCodes,
        date: body.date,
        ...(reason ? { reason: reason as InspectionReason } : {}),
        ...(body.jointInspectionId ? { jointInspectionId: body.jointInspectionId } : {}),
      },
      settings,
    );
    return InspectionCheckSchema.parse({
      clear: check.clear,
      conflicts: check.conflicts,
      proposal: check.proposal ?? null,
      recentActivity: check.recentActivity,
      asOfSeq: Number(position?.last_seq ?? 0),
    });
  });
}

type Json = Record<string, unknown>;

/** Adds the POST operation (not a GET route spec) to the generated OpenAPI document. */
export function withCheckOperation(doc: Json): Json {
  const strip = ({ $schema: _s, ...rest }: Json) => rest;
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  const paths = doc.paths as Json;
  paths['/v1/checks/inspection'] = {
    post: {
      operationId: 'checkPlannedInspection',
      summary: '检查前核查 Pre-visit check of a planned inspection',
      description:
        '计划检查前核查：可以开展，或与其他部门计划/近期检查的冲突及联合检查建议（牵头部门、配合部门）。只读。' +
        'Clear to go, or the conflicts and the proposed joint inspection (lead body, cooperating agencies). Read-only.' +
        '\n\n角色 Roles: committee, execution, supervision, auditor, agency:<CODE> (own agency only)',
      tags: ['alerts'],
      security: [{ bearerAuth: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: strip(z.toJSONSchema(CheckBodySchema, { io: 'input', unrepresentable: 'any' })),
          },
        },
      },
      responses: {
        '200': {
          description: 'OK',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/InspectionCheck' } } },
        },
        '400': problem('请求体无效 Invalid body'),
        '401': problem('缺少或无效的令牌 Missing or invalid token'),
        '403': problem('角色无权访问 Outside the role'),
        '503': problem('读模型不可用 Read model unavailable'),
      },
    },
  };
  const tags = doc.tags as { name: string }[];
  if (!tags.some((t) => t.name === 'alerts')) tags.push({ name: 'alerts' });
  return doc;
}
