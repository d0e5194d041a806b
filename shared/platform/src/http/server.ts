/**
 * The hub's HTTP server base (fastify): problem+json for every error, Chinese and English
 * messages, a body limit, and /healthz. Services add their routes.
 *
 * Defences every service gets: a request (headers and body) must arrive within
 * `requestTimeoutMs` (Node answers 408 and closes), idle connections are closed, and every
 * answer carries `X-Content-Type-Options: nosniff`, `Cache-Control: no-store` (answers hold
 * personal data; a route may set its own), a content policy of same-origin content only
 * (`default-src 'self'`: pages such as the query API's must use same-origin files, no inline
 * script or style) and no framing.
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

export interface HttpServerOptions {
  logger: Logger;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  /** The whole request must arrive within this, ms (408 beyond). @default 120000 */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** Sent with every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'referrer-policy': 'no-referrer',
});

const MiB = 1024 * 1024;

/** A byte count as people read it: `32 MiB`, `1.5 MiB`, `64 KiB`. */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${Number((n / MiB).toFixed(1))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${n} B`;
}

/** The 413 problem for a body over `limit` bytes. */
export const bodyTooLarge = (limit: number): Problem =>
  problem(
    'PAYLOAD_TOO_LARGE',
    `请求体超过 ${formatBytes(limit)} 上限 (body exceeds the limit of ${formatBytes(limit)})`,
    [
      {
        field: '(body)',
        message: `最大 ${formatBytes(limit)} (at most ${formatBytes(limit)}, ${limit} bytes)`,
      },
    ],
  );

export interface Health {
  ok: boolean;
  /** Why not, when not ok; and what was checked. */
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  const bodyLimit = opts.bodyLimit ?? 1024 * 1024;
  const timeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const loggerInstance: FastifyBaseLogger = opts.logger;
  const app: FastifyInstance = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // Query strings with repeated keys become arrays; we validate them with zod.
    routerOptions: { ignoreTrailingSlash: true },
    requestTimeout: timeout,
    // A socket with no traffic for this long is closed; later than the request timeout, so
    // that a request cut off is answered 408 first (a keep-alive socket goes after 5 s).
    connectionTimeout: 2 * timeout,
    keepAliveTimeout: 5000,
    http: {
      headersTimeout: Math.min(30_000, timeout),
      // How often Node looks for requests past their time (its default, 30 s, is too coarse).
      connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(timeout / 4))),
    },
  });

  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    void sendProblem(reply, toProblem(err, bodyLimit, req));
  });
  app.setNotFoundHandler((req, reply) => {
    void sendProblem(
      reply,
      problem('NOT_FOUND', `没有这个接口 (no such endpoint): ${req.method} ${req.url}`),
    );
  });
  return app;
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  // RFC 6750: a 401 names the scheme, and says whether a token was presented and refused.
  if (p.status === 401) {
    const presented = reply.request.headers.authorization !== undefined;
    reply.header(
      'www-authenticate',
      `Bearer realm="enforcement-hub"${presented ? ', error="invalid_token"' : ''}`,
    );
  }
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p);
}

function toProblem(err: unknown, bodyLimit: number, req: FastifyRequest): Problem {
  if (isHubError(err)) return problemFromError(err);
  const e = err as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      // The route's own limit (e.g. imports) when it has one, not the server's default.
      return bodyTooLarge(req.routeOptions.bodyLimit ?? bodyLimit);
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
    const health = withoutPaths(await check());
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

/**
 * /healthz answers anyone: details keep a file's name but not where it lives (a folder layout
 * tells an attacker where the data and credentials are).
 */
function withoutPaths(health: Health): Health {
  const checks: Health['checks'] = {};
  for (const [name, c] of Object.entries(health.checks)) {
    checks[name] = c.detail === undefined ? c : { ...c, detail: stripPaths(c.detail) };
  }
  return { ...health, checks };
}

export const stripPaths = (text: string): string =>
  text.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/:'"()]+)+[\\/]([^\s\\/:'"()]+)/g, '…/$1');
