/** 法定期限: the legal clocks of penalty cases and 两法衔接 transfers, with their status. */
import { z } from 'zod';
import { listClocks } from '../../store/clocks.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { agenciesParam, cursorParam, limitParam, usccParam } from '../params.js';
import { route } from '../route.js';
import { ClocksPageSchema } from '../schemas.js';

const KINDS = ['service', 'publication', 'transfer_decision', 'handover', 'police_decision'] as const;
const STATUSES = ['open', 'met', 'late', 'overdue', 'stopped'] as const;

export const clocksRoute = route({
  operationId: 'listClocks',
  url: '/v1/clocks',
  summary: '法定期限 Legal clocks of cases and transfers',
  description:
    '送达、公示（七个工作日）与两法衔接（三日、二十四小时、三日）的期限及状态，按工作日历计算，状态以最近一次时钟为准。' +
    '检察院只看移送案件的期限；部门只看本部门的。Deadlines on the working-day calendar, status as of the last clock tick; ' +
    'the procuratorate sees transfer clocks only, an agency its own.',
  tags: ['transfers'],
  resource: 'clock.list',
  query: z.strictObject({
    agency: agenciesParam.optional(),
    uscc: usccParam.optional(),
    caseId: z.string().min(1).max(128).optional().meta({ description: '案件编号 case id' }),
    kind: z.enum(KINDS).optional().meta({ description: '期限种类 clock kind' }),
    status: z.enum(STATUSES).optional().meta({ description: '状态 status' }),
    cursor: cursorParam.optional(),
    limit: limitParam(50, 500),
  }),
  response: ClocksPageSchema,
  async handler({ db, query, access, principal }) {
    const { agency, uscc, caseId, kind, status, cursor, limit } = query;
    const own = access.kind === 'agencies' ? access.agencies : undefined;
    // The procuratorate's view (立案监督): transfers only, unless another role grants more.
    const transfersOnly = principal?.roles.every((r) => r === 'procuratorate') ?? false;
    const fingerprint = { agency, uscc, caseId, kind, status, own, transfersOnly };
    const after = cursor ? (decodeCursor(cursor, fingerprint, ['string']) as [string])[0] : undefined;
    const agencies = own ? (agency ?? own).filter((a) => own.includes(a)) : agency;
    const page = await listClocks(db, {
      agencies: own && agencies?.length === 0 ? ['-'] : agencies,
      uscc,
      caseId,
      kinds: kind ? [kind] : undefined,
      statuses: status ? [status] : undefined,
      transfersOnly,
      after,
      limit,
    });
    return {
      items: page.clocks,
      nextCursor: page.next ? encodeCursor([page.next], fingerprint) : null,
    };
  },
});
