/**
 * Alerts: `GET /v1/alerts` (filters, newest first, keyset pages) and
 * `GET /v1/alerts/{id}`. An agency sees the alerts that concern it; the offices see all.
 */
import { z } from 'zod';
import { ALERT_KIND_NAMES, ALERT_KINDS, ALERT_STATUSES, HubError } from '@hub/domain';
import type { AlertView } from '@hub/read-model';
import { getAlert, listAlerts, type AlertKey } from '../../store/alerts.js';
import type { Access } from '../../auth/roles.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { agenciesParam, boundParam, checkRange, cursorParam, limitParam, usccParam } from '../params.js';
import { route } from '../route.js';
import { AlertSchema, AlertsPageSchema } from '../schemas.js';

/** A comma-separated list of allowed values, each named in the 400 when unknown. */
const listParam = <T extends string>(allowed: readonly T[], what: string) =>
  z
    .string()
    .transform((s, ctx) => {
      const items = [...new Set(s.split(',').map((x) => x.trim()))];
      const unknown = items.filter((x) => !(allowed as readonly string[]).includes(x));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `未知的${what} (unknown value): ${unknown.join(', ')}；可选 (one of): ${allowed.join(', ')}`,
        });
        return z.NEVER;
      }
      return items as T[];
    })
    .meta({ description: `${what}，可用逗号分隔多个 (comma-separated)`, example: allowed[0] });

const own = (access: Access): readonly string[] | undefined =>
  access.kind === 'agencies' ? access.agencies : undefined;

export const presentAlert = (a: AlertView) => ({
  ...a,
  kindName: ALERT_KIND_NAMES[a.kind],
  details: a.details as Record<string, unknown>,
});

const listAlertsRoute = route({
  operationId: 'listAlerts',
  url: '/v1/alerts',
  summary: '协同预警 Coordination alerts',
  description:
    '重复检查、检查计划冲突（含联合检查建议）、一事再罚、检查频次过高、联合检查静默期内检查；最新在前。' +
    'Duplicate inspections, overlapping plans (with the joint-inspection proposal), repeat penalties, ' +
    'inspection burden, quiet-period visits; newest first. `from`/`to` bound the raising time.',
  tags: ['alerts'],
  resource: 'alert.list',
  query: z.strictObject({
    kind: listParam(ALERT_KINDS, '预警类型').optional(),
    status: listParam(ALERT_STATUSES, '状态').optional(),
    agency: agenciesParam
      .optional()
      .meta({ description: '涉及这些部门的预警 (alerts concerning these agencies)' }),
    uscc: usccParam.optional(),
    from: boundParam('from').optional().meta({ description: '预警时间下限 raised at or after' }),
    to: boundParam('to').optional().meta({ description: '预警时间上限 raised at or before' }),
    cursor: cursorParam.optional(),
    limit: limitParam(50, 500),
  }),
  response: AlertsPageSchema,
  async handler({ db, query, access }) {
    const { kind, status, agency, uscc, from, to, cursor, limit } = query;
    checkRange(from, to);
    const fingerprint = { kind, status, agency, uscc, from, to, own: own(access) };
    const after = cursor
      ? (decodeCursor(cursor, fingerprint, ['string', 'string']) as unknown as AlertKey)
      : undefined;
    const page = await listAlerts(db, {
      kinds: kind,
      statuses: status,
      agencies: agency,
      concerning: own(access),
      uscc,
      from,
      to,
      after,
      limit,
    });
    return {
      items: page.alerts.map(presentAlert),
      nextCursor: page.next ? encodeCursor(page.next, fingerprint) : null,
    };
  },
});

const getAlertRoute = route({
  operationId: 'getAlert',
  url: '/v1/alerts/:id',
  summary: '单条预警 One alert',
  description:
    '含生命周期（确认、处理、撤销）与联合检查建议的进展。不涉及本部门的预警对部门角色答 404。' +
    'With its lifecycle and the joint-inspection proposal; an agency gets 404 for alerts not concerning it.',
  tags: ['alerts'],
  resource: 'alert.list',
  params: z.strictObject({
    id: z
      .string()
      .regex(/^[0-9a-f]{64}$/, { message: '预警编号应为64位十六进制 (alert id must be 64 hex digits)' }),
  }),
  response: AlertSchema,
  errors: [404],
  async handler({ db, params, access }) {
    const alert = await getAlert(db, params.id);
    const mine = own(access);
    if (!alert || (mine && !alert.agencies.some((a) => mine.includes(a)))) {
      throw new HubError('NOT_FOUND', `没有该预警 (no alert ${params.id})`, {
        issues: [{ field: 'id', message: '未找到该预警 (unknown alert)' }],
      });
    }
    return presentAlert(alert);
  },
});

export const alertRoutes = [listAlertsRoute, getAlertRoute];
