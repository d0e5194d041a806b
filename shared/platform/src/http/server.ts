/**
 * The hub's HTTP server base (fastify): problem+json for every error, Chinese and English
 * messages, a body limit, and /healthz. Services add their routes.
 */
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { HubError, isHubError } from '@hub/domain';
import type { Logger } from '../logger.js';
import { problem, problemFromError, type Problem } from './problem.js';
import { registerProblemTypes } from './problem-types.js';

export interface HttpServerOptions {
  logger: Logger;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
}

export interface Health {
  ok: boolean;
  /** Why not, when not ok; and what was checked. */
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;
  const loggerInstance: FastifyBaseLogger = opts.logger;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // Query strings with repeated keys become arrays; we validate them with zod.
    routerOptions: { ignoreTrailingSlash: true },
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    void sendProblem(reply, toProblem(err, bodyLimit, req));
  });
  registerProblemTypes(app);
  app.setNotFoundHandler((req, reply) => {
    void sendProblem(
      reply,
      problem('NOT_FOUND', `没有这个接口 (no such endpoint): ${req.method} ${req.url}`),
    );
  });
  return app;
}

export const sendProblem = (reply: FastifyReply, p: Problem): FastifyReply =>
  reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);

function toProblem(err: unknown, bodyLimit: number, req: FastifyRequest): Problem {
  if (isHubError(err)) return problemFromError(err);
  const e = err as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PAYLOAD_TOO_LARGE', `请求体超过 ${bodyLimit} 字节 (body exceeds ${bodyLimit} bytes)`, [
        { field: '(body)', message: `最大 ${bodyLimit} 字节 (at most ${bodyLimit} bytes)` },
      ]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        'UNSUPPORTED_MEDIA_TYPE',
        `不支持的内容类型 (unsupported content type): ${req.headers['content-type'] ?? '(none)'}`,
        [{ field: 'content-type', message: '应为 application/json (must be application/json)' }],
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('VALIDATION_FAILED', '请求体为空 (empty body)', [
        { field: '(body)', message: '请求体为空 (empty body)' },
      ]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case undefined:
      if (err instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return problem('VALIDATION_FAILED', `JSON 格式错误 (malformed JSON): ${e.message ?? ''}`, [
          { field: '(body)', message: 'JSON 格式错误 (malformed JSON)' },
        ]);
      }
  }
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return problem('VALIDATION_FAILED', e.message ?? 'bad request');
  }
  req.log.error({ err }, 'unhandled error');
  return problemFromError(new HubError('INTERNAL', '内部错误，请联系管理员 (internal error)'));
}

/** Registers GET /healthz: 200 when every check passes, 503 with the reasons when not. */
export function registerHealth(app: FastifyInstance, check: () => Health | Promise<Health>): void {
  app.get('/healthz', async (_req, reply) => {
    const health = await check();
    return reply.code(health.ok ? 200 : 503).send({ status: health.ok ? 'ok' : 'unavailable', ...health });
  });
}

/** Listens and returns the base URL (port 0 picks a free one). */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return `http://${host}:${actual}`;
}
