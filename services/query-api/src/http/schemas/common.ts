/**
 * Response bodies as zod schemas: the single source of the OpenAPI document's components.
 * (Requests are validated by the parameter schemas in params.ts.) Strict, so the tests that parse
 * real answers with them catch a field the documentation does not name.
 */
import { z } from 'zod';

/** Every named schema becomes `#/components/schemas/<id>` in the OpenAPI document. */
export const registry = z.registry<{ id: string }>();
export const named = <T extends z.ZodType>(id: string, schema: T): T => {
  registry.add(schema, { id });
  return schema;
};

export const time = z.string().meta({ format: 'date-time', example: '2026-03-02T02:00:00.000Z' });
export const nullableTime = time.nullable();
export const cursor = z
  .string()
  .nullable()
  .meta({ description: '下一页游标，没有更多时为 null (next page cursor; null on the last page)' });

export const FieldIssueSchema = named(
  'FieldIssue',
  z.strictObject({ field: z.string().meta({ example: 'uscc' }), message: z.string() }),
);

export const ProblemSchema = named(
  'Problem',
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      detail: z.string(),
      errors: z.array(FieldIssueSchema).optional(),
    })
    .meta({ description: 'RFC 9457 problem+json; messages in Chinese with English alongside' }),
);

export const PersonSchema = named(
  'Person',
  z
    .object({ name: z.string().optional(), idNumber: z.string().optional(), phone: z.string().optional() })
    .meta({
      description:
        '自然人信息；除记录部门和监督办公室外脱敏 (masked except for the recording agency and the supervision office)',
    }),
);

export const HealthSchema = named(
  'Health',
  z.strictObject({
    status: z.enum(['ok', 'unavailable']),
    ok: z.boolean(),
    checks: z.record(z.string(), z.strictObject({ ok: z.boolean(), detail: z.string().optional() })),
  }),
);
