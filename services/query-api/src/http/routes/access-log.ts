/**
 * The access log, for the supervision office (and auditors): read-only. There is no route that
 * writes, edits or deletes entries; they are written by the reads themselves.
 */
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { boundParam, checkRange, cursorParam, limitParam, usccParam } from '../params.js';
import { route } from '../route.js';
import { AccessLogPageSchema } from '../schemas.js';

const accessLogRoute = route({
  operationId: 'listAccessLog',
  url: '/v1/access-log',
  summary: '访问日志 Who read which business file, when',
  description:
    '企业档案和历史的每次读取，最新在前；只读。Every read of a profile or history, newest first; read-only.',
  tags: ['supervision'],
  resource: 'access-log.read',
  needsReadModel: false,
  query: z.strictObject({
    uscc: usccParam.optional(),
    tokenId: z.string().max(64).optional().meta({ description: '令牌编号 token id' }),
    from: boundParam('from').optional(),
    to: boundParam('to').optional(),
    cursor: cursorParam.optional(),
    limit: limitParam(100, 1000),
  }),
  response: AccessLogPageSchema,
  async handler({ query, deps }) {
    const { uscc, tokenId, from, to, cursor, limit } = query;
    checkRange(from, to);
    const fingerprint = { uscc, tokenId, from, to };
    const beforeId = cursor ? Number(decodeCursor(cursor, fingerprint, ['number'])[0]) : undefined;
    const page = await deps.accessLog.list({ uscc, tokenId, from, to, beforeId, limit });
    return {
      items: page.entries,
      nextCursor: page.nextBeforeId === undefined ? null : encodeCursor([page.nextBeforeId], fingerprint),
    };
  },
});

export const accessLogRoutes = [accessLogRoute];
