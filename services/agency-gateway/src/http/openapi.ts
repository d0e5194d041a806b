/**
 * The OpenAPI 3.1 document of an agency service, generated from the zod schemas that validate
 * what it takes (the envelope header and one payload schema per event type) — so the document
 * and the validation cannot drift apart. Served at /docs with an interactive viewer.
 */
import { z } from 'zod';
import { EVENT_TYPES, PAYLOAD_SCHEMAS, envelopeHeaderSchema, SERVICES } from '@hub/domain';
import type { AgencyServiceDefinition } from '../service.js';

type Json = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType): Json => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  return rest;
};

/** One event: the header fields and exactly one payload, named by its event type. */
function envelopeSchema(): Json {
  const header = jsonSchema(envelopeHeaderSchema);
  const properties = { ...(header.properties as Json) };
  for (const type of EVENT_TYPES) properties[type] = jsonSchema(PAYLOAD_SCHEMAS[type]);
  return {
    type: 'object',
    description:
      '事件信封（enforcement.v1.Envelope 的规范 JSON 映射）：公共字段加恰好一个事件类型字段。' +
      'An event: the canonical JSON mapping of enforcement.v1.Envelope — the common fields and exactly one payload field named by its event type.',
    properties,
    required: header.required,
    additionalProperties: false,
    oneOf: EVENT_TYPES.map((type) => ({ required: [type] })),
  };
}

const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description: 'RFC 9457 problem+json; `type` links to the explanation of `code` on this service.',
  properties: {
    type: { type: 'string', examples: ['/problems/validation-failed'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' }, rule: { type: 'string' } },
      },
    },
  },
  required: ['type', 'title', 'status', 'code', 'detail'],
};

const ACCEPTED: Json = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          eventId: { type: 'string', format: 'uuid' },
          status: { enum: ['accepted', 'duplicate'] },
        },
      },
    },
  },
};

const IMPORT_REPORT: Json = {
  type: 'object',
  properties: {
    format: { type: 'string' },
    encoding: { type: 'string' },
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    rejected: { type: 'integer' },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          row: { type: 'integer', description: '行号，表头为第 1 行 (row number as a spreadsheet shows it)' },
          recordId: { type: 'string' },
          status: { enum: ['accepted', 'duplicate', 'rejected'] },
          eventId: { type: 'string' },
          errors: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
};

/**
 * @example
 * registerApiDocs(app, agencyOpenApi(MARKET_SUPERVISION));
 */
export function agencyOpenApi(definition: AgencyServiceDefinition): Json {
  const service = SERVICES[definition.service];
  const secured = { security: [{ bearerAuth: [] }] };
  return {
    openapi: '3.1.0',
    info: {
      title: `执法信息共享平台 ${service.name}服务 (enforcement hub: ${service.en} service)`,
      version: '1.0.0',
      description:
        `接收 ${definition.agencies.join('、')} 的执法记录（JSON 或 CSV 导出），校验后存入发件箱，再发布到 NATS JetStream。` +
        `Takes the records of ${definition.agencies.join(', ')} (JSON, or their systems' CSV exports), validates them, keeps them in a durable outbox, and publishes them to NATS JetStream. ` +
        '202 means the record is in the outbox: it reaches the stream exactly once, even while NATS is down.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [{ name: 'ingest' }, { name: 'operations' }],
    paths: {
      '/v1/events': {
        post: {
          operationId: 'submitEvents',
          summary: '报送事件 Submit events',
          description:
            '一条事件，或 `{ "events": [...] }` 批量（全部接受或全部拒绝）。同一来源记录（部门/记录号/版本）再次报送返回同一 eventId，状态 duplicate。' +
            'One event, or a batch `{ "events": [...] }` (all or nothing). The same source record (agency/recordId/revision) again returns its first eventId with status duplicate.',
          tags: ['ingest'],
          ...secured,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/Envelope' },
                    {
                      type: 'object',
                      properties: {
                        events: { type: 'array', items: { $ref: '#/components/schemas/Envelope' } },
                      },
                      required: ['events'],
                    },
                  ],
                },
              },
            },
          },
          responses: {
            '202': {
              description: '已存入发件箱 In the outbox',
              content: { 'application/json': { schema: ACCEPTED } },
            },
            '400': problem('格式错误，未接收任何事件 Malformed; nothing accepted'),
            '401': problem('缺少或无效的令牌 Missing or invalid token'),
            '403': problem('令牌无权报送该部门 The token may not submit for this agency'),
            '409': problem('同一记录版本内容不同 Same record revision, different content'),
            '413': problem('请求体或批量过大 Body or batch too large'),
            '415': problem('应为 application/json'),
            '422': problem('不符合业务规则 Rule violated'),
          },
        },
      },
      '/v1/imports': {
        post: {
          operationId: 'importCsv',
          summary: '导入 CSV Import a CSV export',
          description:
            '部门业务系统导出的 CSV（中文表头，UTF-8 或 GBK）。只存合格的行；逐行报告。' +
            "A department system's CSV export (Chinese headers, UTF-8 or GBK). Valid rows are stored; a report per row.",
          tags: ['ingest'],
          ...secured,
          parameters: [
            {
              name: 'agency',
              in: 'query',
              required: true,
              schema: { enum: [...definition.agencies, 'CZJ'] },
            },
            {
              name: 'format',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: '导入格式 mapping id; default: chosen by the header row',
            },
            { name: 'encoding', in: 'query', required: false, schema: { enum: ['utf-8', 'gbk'] } },
            { name: 'firstRow', in: 'query', required: false, schema: { type: 'integer', minimum: 2 } },
          ],
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
          responses: {
            '200': {
              description: '逐行报告 Per-row report',
              content: { 'application/json': { schema: IMPORT_REPORT } },
            },
            '400': problem('文件或参数无效 Invalid file or parameters'),
            '401': problem('缺少或无效的令牌 Missing or invalid token'),
            '403': problem('令牌无权报送该部门 The token may not submit for this agency'),
            '413': problem('文件过大 File too large'),
          },
        },
      },
      '/v1/outbox/stats': {
        get: {
          operationId: 'outboxStats',
          summary: '发件箱 Outbox figures',
          tags: ['operations'],
          ...secured,
          responses: { '200': { description: 'pending, published, total, and the relay' } },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: '健康检查 Health',
          description:
            '200 when the outbox is writable and NATS connected; 503 with the failing check. 公开 (public).',
          tags: ['operations'],
          security: [],
          responses: { '200': { description: 'OK' }, '503': { description: 'Unavailable' } },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus 指标 metrics',
          description:
            '发件箱积压、转发延迟、请求耗时与进程指标。Outbox backlog, relay lag, requests and process metrics. 公开 (public; keep the port internal).',
          tags: ['operations'],
          security: [],
          responses: {
            '200': {
              description: 'Prometheus text format',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: { Envelope: envelopeSchema(), Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            '`hub token issue --scope ingest:<AGENCY>` 签发的令牌 (a token issued by `hub token issue`)',
        },
      },
    },
  };
}
