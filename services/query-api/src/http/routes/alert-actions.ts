/**
 * `POST /v1/alerts/{id}/acknowledge` and `/resolve`: an alert is acknowledged or resolved by an
 * event of the acting agency (`alertAcknowledged`, `alertResolved`), submitted like any other
 * record through that agency's service (`POST /v1/events`) with the caller's own token. The query
 * API still writes nothing itself: it checks what it can answer at once (the alert exists and
 * concerns the agency, the token may submit for it, the alert is still open), forwards, and
 * relays the service's answer. The projector then changes the alert's status.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AGENCIES, HubError, type ServiceName } from '@hub/domain';
import { problem, sendProblem } from '@hub/platform';
import { authenticate, forbidden } from '../../auth/authenticate.js';
import { accessTo, mayActFor } from '../../auth/roles.js';
import { getAlert } from '../../store/alerts.js';
import { agencyParam, parseParams } from '../params.js';
import { readModelUnavailable, type Deps } from '../route.js';

export type AgencyServiceUrls = Readonly<Record<ServiceName, string>>;

const ACTIONS = {
  acknowledge: { eventType: 'alertAcknowledged', zh: '确认' },
  resolve: { eventType: 'alertResolved', zh: '处理' },
} as const;
type Action = keyof typeof ACTIONS;

const IdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { message: '预警编号应为64位十六进制 (alert id must be 64 hex digits)' }),
});
const by = z.string().trim().min(1).max(100).optional().meta({
  description: '经办人，默认令牌持有人 (who acts; default the token holder)',
});
export const AcknowledgeBodySchema = z.strictObject({
  agency: agencyParam.meta({ description: '以哪个部门确认 (the acting agency, one the alert concerns)' }),
  by,
});
export const ResolveBodySchema = AcknowledgeBodySchema.extend({
  reason: z
    .string()
    .trim()
    .min(1, '请填写处理说明 (a reason is required)')
    .max(2000, '处理说明最长2000字 (at most 2000 characters)'),
});

const agencyServiceUnavailable = (service: string, why: string) =>
  problem(
    'NATS_UNAVAILABLE',
    `报送服务 ${service} 不可用 (the agency service is unavailable): ${why}`,
    undefined,
    {
      code: 'AGENCY_SERVICE_UNAVAILABLE',
      title: '报送服务不可用 Agency service unavailable',
    },
  );

export interface AlertActionOptions {
  services: AgencyServiceUrls;
}

export function registerAlertActions(app: FastifyInstance, deps: Deps, opts: AlertActionOptions): void {
  for (const action of Object.keys(ACTIONS) as Action[]) {
    app.post(`/v1/alerts/:id/${action}`, async (req, reply) => {
      const principal = authenticate(deps.tokens, req.headers.authorization);
      const access = accessTo(principal, 'alert.list');
      if (access.kind === 'denied') throw forbidden('alert.list', principal);
      const { id } = parseParams(IdParams, req.params);
      const body = parseParams(
        action === 'resolve' ? ResolveBodySchema : AcknowledgeBodySchema,
        req.body ?? {},
      );
      const state = deps.readModel.get();
      if (!state.ok) return sendProblem(reply, readModelUnavailable(state.reason));
      const alert = await getAlert(state.db, id);
      const own = access.kind === 'agencies' ? access.agencies : undefined;
      if (!alert || (own && !alert.agencies.some((a) => own.includes(a)))) {
        throw new HubError('NOT_FOUND', `没有该预警 (no alert ${id})`, {
          issues: [{ field: 'id', message: '未找到该预警 (unknown alert)' }],
        });
      }
      if (!alert.agencies.includes(body.agency)) {
        throw new HubError(
          'RULE_VIOLATED',
          `该预警不涉及 ${body.agency} (the alert does not concern ${body.agency})`,
          {
            issues: [{ field: 'agency', message: `应为 (one of): ${alert.agencies.join(', ')}` }],
          },
        );
      }
      if (!mayActFor(principal, body.agency)) {
        throw forbidden(
          'alert.list',
          principal,
          `令牌不能代表 ${body.agency} 报送 (the token may not submit for ${body.agency}: it needs ingest:${body.agency})`,
        );
      }
      const done =
        alert.status === 'resolved' ||
        alert.status === 'withdrawn' ||
        (action === 'acknowledge' && alert.status === 'acknowledged');
      if (done) {
        throw new HubError(
          'CONFLICT',
          `预警已是 ${alert.status} 状态，无需${ACTIONS[action].zh} (the alert is already ${alert.status})`,
        );
      }
      const service = AGENCIES[body.agency]?.service;
      if (!service) {
        throw new HubError(
          'RULE_VIOLATED',
          `${body.agency} 直接向平台报送，请在本部门系统中${ACTIONS[action].zh} (this department publishes directly: ${action} in its own system)`,
          { issues: [{ field: 'agency', message: '该部门没有报送服务 (no agency service)' }] },
        );
      }
      const who = body.by ?? principal.subject?.slice(0, 100);
      const event = {
        agency: body.agency,
        business: { uscc: alert.uscc },
        occurredAt: deps.now().toISOString(),
        source: { system: 'hub-dashboard', recordId: `${action}:${id}`, revision: 0 },
        [ACTIONS[action].eventType]: {
          alertId: id,
          ...(who ? { by: who } : {}),
          ...('reason' in body ? { reason: body.reason } : {}),
        },
      };
      return forward(reply, opts.services[service], service, req.headers.authorization ?? '', event, {
        alertId: id,
        action,
        agency: body.agency,
      });
    });
  }
}

async function forward(
  reply: FastifyReply,
  baseUrl: string,
  service: string,
  authorization: string,
  event: Record<string, unknown>,
  about: { alertId: string; action: Action; agency: string },
): Promise<FastifyReply> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    return sendProblem(reply, agencyServiceUnavailable(service, String(err)));
  }
  const text = await res.text();
  if (res.status !== 202) {
    // The service's own problem (403 without ingest rights, 400 …) goes back as it is.
    return reply
      .code(res.status >= 500 ? 503 : res.status)
      .type(res.headers.get('content-type') ?? 'application/problem+json; charset=utf-8')
      .send(text);
  }
  const answer = JSON.parse(text) as { events?: { eventId?: string; status?: string }[] };
  const first = answer.events?.[0];
  return reply.code(202).send({
    alertId: about.alertId,
    action: about.action,
    agency: about.agency,
    eventId: first?.eventId ?? null,
    status: first?.status ?? 'accepted',
  });
}

type Json = Record<string, unknown>;

/** Adds the two POST operations to the generated OpenAPI document. */
export function withAlertActionOperations(doc: Json): Json {
  const strip = ({ $schema: _s, ...rest }: Json) => rest;
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  const paths = doc.paths as Json;
  for (const action of Object.keys(ACTIONS) as Action[]) {
    const schema = action === 'resolve' ? ResolveBodySchema : AcknowledgeBodySchema;
    paths[`/v1/alerts/{id}/${action}`] = {
      post: {
        operationId: `${action}Alert`,
        summary: `${ACTIONS[action].zh}预警 ${action === 'resolve' ? 'Resolve' : 'Acknowledge'} an alert`,
        description:
          `以涉及的部门提交 \`${ACTIONS[action].eventType}\` 事件（经该部门的报送服务，用调用者的令牌；需 ingest:<部门>）。` +
          `Submits the acting agency's \`${ACTIONS[action].eventType}\` event through its agency service with the caller's token ` +
          '(it needs `ingest:<CODE>`); the status changes once the projector applied it.' +
          '\n\n角色 Roles: those that may read the alert, with ingest rights for an agency it concerns',
        tags: ['alerts'],
        security: [{ bearerAuth: [] }],
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: strip(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })),
            },
          },
        },
        responses: {
          '202': {
            description: '已提交 (submitted; the event id and whether it was a duplicate)',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    alertId: { type: 'string' },
                    action: { type: 'string' },
                    agency: { type: 'string' },
                    eventId: { type: ['string', 'null'] },
                    status: { type: 'string', enum: ['accepted', 'duplicate'] },
                  },
                  required: ['alertId', 'action', 'agency', 'eventId', 'status'],
                },
              },
            },
          },
          '400': problem('请求体无效 Invalid body'),
          '401': problem('缺少或无效的令牌 Missing or invalid token'),
          '403': problem('不能代表该部门报送 The token may not submit for the agency'),
          '404': problem('没有该预警 Unknown alert'),
          '409': problem('预警已确认/已处理/已撤销 Already acknowledged, resolved or withdrawn'),
          '422': problem(
            '预警不涉及该部门，或部门没有报送服务 Not an agency of the alert, or no agency service',
          ),
          '503': problem('读模型或报送服务不可用 Read model or agency service unavailable'),
        },
      },
    };
  }
  return doc;
}
