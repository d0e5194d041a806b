/**
 * Request parameters: zod schemas that validate every query and path parameter (and document
 * them in OpenAPI), and the translation of their failures into 400 problem+json naming the
 * parameter and the reason, in Chinese and English.
 */
import { z } from 'zod';
import { AGENCY_CODES, EVENT_TYPES, HubError, checkUscc, type FieldIssue } from '@hub/domain';

/** Throws VALIDATION_FAILED naming each bad parameter. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // reportInput: the issue then says what was sent (an array means a repeated parameter).
  const parsed = schema.safeParse(input ?? {}, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw invalidParams(parsed.error.issues.flatMap(toIssues));
}

export const invalidParams = (issues: FieldIssue[]): HubError =>
  new HubError(
    'VALIDATION_FAILED',
    `请求参数无效 (invalid parameters): ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    { issues },
  );

function toIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const field = issue.path.map(String).join('.');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ field: k, message: `未知参数 (unknown parameter): ${k}` }));
    case 'invalid_type':
      return [
        {
          field,
          message: Array.isArray(issue.input)
            ? '参数只能出现一次 (parameter given more than once)'
            : issue.input === undefined
              ? '必填参数缺失 (required parameter is missing)'
              : `类型错误 (expected ${issue.expected})`,
        },
      ];
    case 'invalid_value':
      return [
        { field, message: `取值无效，可选值 (must be one of): ${issue.values.map(String).join(', ')}` },
      ];
    default:
      return [{ field, message: issue.message }];
  }
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const CHINA_OFFSET = '+08:00';

/** The date part must exist in the calendar: Date.parse would roll 2026-02-30 over to March. */
function validDate(s: string): boolean {
  const day = s.slice(0, 10);
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day) && !Number.isNaN(Date.parse(s));
}

/** An RFC 3339 time, normalised to UTC ISO (as the read model stores times). */
export const timeParam = z
  .string()
  .refine((s) => RFC3339.test(s) && validDate(s), {
    message: '时间格式应为 RFC 3339，如 2026-03-01T09:30:00+08:00 (must be an RFC 3339 timestamp)',
  })
  .transform((s) => new Date(s).toISOString())
  .meta({ format: 'date-time', example: '2026-03-01T09:30:00+08:00' });

/**
 * A bound of a time range: RFC 3339, or a date (a whole day in Asia/Shanghai): as `from` the
 * day's first instant, as `to` its last.
 */
export const boundParam = (edge: 'from' | 'to') =>
  z
    .string()
    .refine((s) => (RFC3339.test(s) || DATE.test(s)) && validDate(s), {
      message: '应为日期 2026-03-01 或 RFC 3339 时间 (must be a date YYYY-MM-DD or an RFC 3339 timestamp)',
    })
    .transform((s) => {
      if (!DATE.test(s)) return new Date(s).toISOString();
      const start = Date.parse(`${s}T00:00:00${CHINA_OFFSET}`);
      return new Date(edge === 'from' ? start : start + 86_400_000 - 1).toISOString();
    })
    .meta({ example: edge === 'from' ? '2026-03-01' : '2026-03-31T23:59:59+08:00' });

/** A day `YYYY-MM-DD` (Asia/Shanghai). */
export const dayParam = z
  .string()
  .refine((s) => DATE.test(s) && validDate(s), {
    message: '日期格式应为 YYYY-MM-DD (must be a date YYYY-MM-DD)',
  })
  .meta({ format: 'date', example: '2026-03-01' });

/** Page size: a whole number from 1 to `max`. */
export const limitParam = (fallback: number, max: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return fallback;
      const n = /^\d{1,9}$/.test(s) ? Number(s) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `每页条数应为 1 到 ${max} 的整数 (limit must be a whole number from 1 to ${max})`,
        });
        return z.NEVER;
      }
      return n;
    })
    .meta({ description: `每页条数 page size (default ${fallback}, max ${max})`, example: String(fallback) });

/** A comma-separated list whose items must each be one of `allowed`. */
const listOf = (allowed: readonly string[], what: string) =>
  z.string().transform((s, ctx) => {
    const items = [...new Set(s.split(',').map((x) => x.trim()))];
    const unknown = items.filter((x) => !allowed.includes(x));
    if (unknown.length > 0 || items.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `未知的${what} (unknown ${what === '部门' ? 'agency' : 'event type'}): ${unknown.join(', ')}`,
      });
      return z.NEVER;
    }
    return items;
  });

export const agenciesParam = listOf(AGENCY_CODES, '部门').meta({
  description: '部门代码，可用逗号分隔多个 (agency codes, comma-separated)',
  example: 'GSJ,SYJ',
});
export const agencyParam = z
  .string()
  .refine((s) => AGENCY_CODES.includes(s), { message: '未知的部门代码 (unknown agency code)' })
  .meta({ example: 'GSJ' });
export const eventTypesParam = listOf(EVENT_TYPES, '事件类型').meta({
  description: '事件类型，可用逗号分隔多个 (event types, comma-separated)',
  example: 'inspectionCompleted,penaltyDecided',
});

export const usccParam = z
  .string()
  .superRefine((s, ctx) => {
    const check = checkUscc(s);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
  })
  .meta({ description: '统一社会信用代码 (unified social credit code)', example: '91350100M000100Y43' });

export const cursorParam = z
  .string()
  .max(512)
  .meta({ description: '上一页返回的 nextCursor (the nextCursor of the previous page; opaque)' });

/** Rejects `from` after `to`, naming both. */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    const message = `起始时间晚于结束时间 (from ${from} is after to ${to})`;
    throw invalidParams([
      { field: 'from', message },
      { field: 'to', message },
    ]);
  }
}
