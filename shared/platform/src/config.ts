/**
 * Config parsing. Each service's entry point calls `loadConfig(schema, process.env)` once and
 * passes the frozen result down; nothing else reads the environment.
 */
import { z } from 'zod';
import { configError } from '@hub/domain';

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** An optional setting where an empty value means unset (`NATS_PASS= hub …`). */
const optionalText = () =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/**
 * `READ_MODEL_URL`: the read model on PostgreSQL (`postgres://user:pass@host:5432/db`); unset or
 * empty, the SQLite file under HUB_DATA_DIR is the read model.
 */
export const readModelUrl = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v))
  .refine((v) => v === undefined || /^postgres(ql)?:\/\/\S+$/.test(v), {
    message: '须为 postgres:// 地址 (must be a postgres://user:pass@host:port/db URL)',
  });

/** Fields every service shares. */
export const commonConfig = {
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** User and password of this service's NATS identity (deploy/nats/auth.conf). */
  NATS_USER: optionalText(),
  NATS_PASS: optionalText(),
  /** A `.creds` or NKey seed file; the local hub passes each service its own. Wins over user/password. */
  NATS_CREDS: optionalText(),
  /** Where replies arrive; default `_INBOX.<user>` (each identity may read only its own). */
  NATS_INBOX_PREFIX: optionalText(),
  HUB_DATA_DIR: z.string().default('./var'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  /** HTTP: a request (headers and body) must arrive within this many ms; 408 beyond. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
};

export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Record<string, string | undefined>,
): Readonly<z.output<z.ZodObject<S>>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw configError(
      `配置无效 (invalid configuration): ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return Object.freeze(parsed.data);
}
