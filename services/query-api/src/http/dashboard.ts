/**
 * Serves the built dashboard (services/dashboard/dist) at `/`: the files are read once at start,
 * gzipped once, and answered from memory. Hashed files under /assets/ are immutable (cached for a
 * year); index.html is revalidated every time (a new build is served once the API restarts). Every path
 * that is not an API path (/v1/…, /docs, /healthz, /metrics) gets index.html, and the page's own
 * router shows the page (SPA fallback). Everything is local: no CDN, no web fonts. The server's
 * security headers (`default-src 'self'` …) apply as to every answer; the build needs nothing more.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '@hub/platform';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

const API_PREFIXES = ['/v1/', '/v1', '/docs', '/healthz', '/metrics'];

interface StaticFile {
  type: string;
  body: Buffer;
  gzip: Buffer | undefined;
  etag: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function load(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const path of walk(dir)) {
    const body = readFileSync(path);
    const ext = extname(path);
    const url = `/${relative(dir, path).split(sep).join('/')}`;
    files.set(url, {
      type: TYPES[ext] ?? 'application/octet-stream',
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined,
      etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 20)}"`,
    });
  }
  return files;
}

function send(req: FastifyRequest, reply: FastifyReply, file: StaticFile, cache: string): FastifyReply {
  reply
    .header('cache-control', cache)
    .header('etag', file.etag)
    .header('vary', 'accept-encoding')
    .type(file.type);
  if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const gzip = file.gzip !== undefined && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? file.gzip : file.body);
}

const isApiPath = (path: string) => API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * @example
 * registerDashboard(app, config.DASHBOARD_DIR); // GET / → the sign-in page
 */
export function registerDashboard(app: FastifyInstance, dir: string): void {
  const built = existsSync(join(dir, 'index.html'));
  const files = built ? load(dir) : new Map<string, StaticFile>();
  const index = files.get('/index.html');
  const notFound = (req: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, problem('NOT_FOUND', `没有这个接口 (no such endpoint): ${req.method} ${req.url}`));

  app.get('/assets/*', (req, reply) => {
    const file = files.get(req.url.split('?')[0] ?? '');
    return file ? send(req, reply, file, 'public, max-age=31536000, immutable') : notFound(req, reply);
  });
  app.get('/*', (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (isApiPath(path)) return notFound(req, reply);
    const file = path !== '/index.html' ? files.get(path) : undefined;
    if (file) return send(req, reply, file, 'public, max-age=86400');
    if (!index) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('控制台尚未构建 (the dashboard is not built): npm run build\n');
    }
    // Only page navigations get the app; anything else asking for JSON gets the API's 404.
    const accept = String(req.headers.accept ?? '');
    if (accept !== '' && !accept.includes('text/html') && !accept.includes('*/*'))
      return notFound(req, reply);
    return send(req, reply, index, 'no-cache');
  });
}
