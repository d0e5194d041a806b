/**
 * POST /v1/imports?agency=<code>[&format=<mapping id>][&encoding=utf-8|gbk][&firstRow=n]
 * with a department's CSV export as the body (text/csv). Answers 200 with a per-row report.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HubError } from '@hub/domain';
import { importCsv } from '../imports/import-csv.js';
import { normaliseEncoding } from '../imports/decode.js';
import type { CsvMapping } from '../imports/mapping.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../clock.js';
import { assertMayIngest, requireToken, type TokenVerifier } from './auth.js';

export interface ImportsRouteOptions {
  outbox: Outbox;
  agencies: readonly string[];
  mappings: readonly CsvMapping[];
  clock: Clock;
  tokens: TokenVerifier;
  bodyLimit: number;
  maxRows: number;
  futureSkewMs?: number;
}

const query = z.strictObject({
  agency: z.string().min(1, '必填 (required)'),
  format: z.string().optional(),
  encoding: z.string().optional(),
  firstRow: z.coerce.number().int().min(2).optional(),
});

export function registerImportsRoute(app: FastifyInstance, opts: ImportsRouteOptions): void {
  void app.register((scope, _o, done) => {
    scope.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'buffer', bodyLimit: opts.bodyLimit },
      (_req, body, next) => next(null, body),
    );
    scope.post(
      '/v1/imports',
      { onRequest: requireToken(opts.tokens), bodyLimit: opts.bodyLimit },
      async (req, reply) => {
        const contentType = req.headers['content-type'] ?? '';
        if (!Buffer.isBuffer(req.body)) {
          throw new HubError(
            'UNSUPPORTED_MEDIA_TYPE',
            `不支持的内容类型 (unsupported content type): ${contentType || '(none)'}`,
            {
              issues: [{ field: 'content-type', message: '应为 text/csv (must be text/csv)' }],
            },
          );
        }
        const q = query.safeParse(req.query);
        if (!q.success) {
          throw new HubError('VALIDATION_FAILED', '查询参数错误 (invalid query parameters)', {
            issues: q.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message })),
          });
        }
        const agency = q.data.agency.toUpperCase();
        const mappings = opts.mappings.filter((m) => m.agency === agency);
        if (mappings.length === 0) {
          throw new HubError(
            'RULE_VIOLATED',
            `本服务没有 ${agency} 的导入格式 (no import format for ${agency} in this service)`,
            {
              issues: [
                {
                  field: 'agency',
                  message: `可用 (available): ${[...new Set(opts.mappings.map((m) => m.agency))].join(', ')}`,
                },
              ],
            },
          );
        }
        assertMayIngest(req.principal, agency, 'agency');
        const charset = /charset=([^;]+)/i.exec(contentType)?.[1];
        const report = await importCsv({
          bytes: req.body,
          mappings,
          format: q.data.format,
          encoding: normaliseEncoding(q.data.encoding ?? charset),
          firstRow: q.data.firstRow,
          maxRows: opts.maxRows,
          agencies: opts.agencies,
          outbox: opts.outbox,
          clock: opts.clock,
          futureSkewMs: opts.futureSkewMs,
        });
        return reply.code(200).send(report);
      },
    );
    done();
  });
}
