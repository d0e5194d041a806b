/**
 * The OpenAPI 3.1 document, generated from the route specs and their zod schemas (zod 4's
 * `z.toJSONSchema`, JSON Schema 2020-12 — the dialect OpenAPI 3.1 uses).
 */
import { z } from 'zod';
import { ROLE_MATRIX, type Resource } from '../auth/roles.js';
import type { RouteSpec } from '../http/route.js';
import { HealthSchema, registry } from '../http/schemas.js';

type Json = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

function strip(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

/** JSON Schema of one parameter (its input side: what the client sends). */
function paramSchema(field: z.ZodType): Json {
  return strip(z.toJSONSchema(field, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }));
}

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined): Json[] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const json = paramSchema(field);
    const { description, ...rest } = json;
    return {
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const ref = (schema: z.ZodType): Json => {
  const id = registry.get(schema)?.id;
  return id ? { $ref: REF(id) } : strip(z.toJSONSchema(schema, { target: 'draft-2020-12' }));
};

const problemResponse = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: REF('Problem') } } },
});

/** Which roles may call a route, in words, from the role matrix. */
export function rolesText(resource: Resource | undefined): string {
  if (resource === undefined) return '公开 (public, no token)';
  const rules = ROLE_MATRIX[resource];
  const parts = Object.entries(rules)
    .filter(([, rule]) => rule !== 'none')
    .map(([role, rule]) =>
      role === 'agency' ? `agency:<CODE>${rule === 'own-agency' ? ' (own only)' : ''}` : role,
    );
  return parts.join(', ');
}

function operation(spec: RouteSpec): Json {
  const errors: Record<string, Json> = {
    '400': problemResponse('参数无效 Invalid parameters'),
    '503': problemResponse('读模型不可用 Read model unavailable'),
  };
  if (spec.resource !== undefined) {
    errors['401'] = problemResponse('缺少或无效的令牌 Missing or invalid token');
    errors['403'] = problemResponse('角色无权访问 Outside the role');
  }
  for (const status of spec.errors ?? []) errors[String(status)] = problemResponse('未找到 Not found');
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: `${spec.description ?? ''}\n\n角色 Roles: ${rolesText(spec.resource)}`.trim(),
    tags: [...spec.tags],
    security: spec.resource === undefined ? [] : [{ bearerAuth: [] }],
    parameters: [...parameters('path', spec.params), ...parameters('query', spec.query)],
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: ref(spec.response) } } },
      ...errors,
    },
  };
}

/**
 * @example
 * const doc = buildOpenApi(ROUTES); // serve as /docs/openapi.json
 */
export function buildOpenApi(routes: readonly RouteSpec[]): Json {
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: REF }) as {
    schemas: Record<string, Json>;
  };
  const paths: Record<string, Json> = {};
  for (const spec of routes) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...(paths[path] ?? {}), get: operation(spec) };
  }
  paths['/healthz'] = {
    get: {
      operationId: 'health',
      summary: '健康检查 Health',
      description: '200 when the read model can be read, 503 with the reason otherwise. 公开 (public).',
      tags: ['operations'],
      security: [],
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: ref(HealthSchema) } } },
        '503': { description: 'Unavailable', content: { 'application/json': { schema: ref(HealthSchema) } } },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: '执法信息共享平台 查询接口 (enforcement hub query API)',
      version: '1.0.0',
      description:
        '执委会各办公室与执法部门的查询接口：企业检索、档案与跨部门执法历史、处罚公示、两法衔接移送、投诉举报、部门考评、执法事项目录。' +
        'Errors are RFC 9457 problem+json with stable codes. Personal data is masked except for the recording agency and the supervision office.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      'businesses',
      'penalties',
      'transfers',
      'complaints',
      'agencies',
      'catalogue',
      'supervision',
      'alerts',
      'auth',
      'operations',
    ].map((name) => ({ name })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, strip(s)])),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: '`hub token issue` 签发的令牌 (a token issued by `hub token issue`)',
        },
      },
    },
  };
}
