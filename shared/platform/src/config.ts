/**
 * Config parsing. Each service's entry point calls `loadConfig(schema, process.env)` once and
 * passes the frozen result down; nothing else reads the environment.
 */
import { z } from 'zod';
import { configError } from '@hub/domain';

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Fields every service shares. */
export const commonConfig = {
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().optional(),
  NATS_PASS: z.string().optional(),
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
