/** /docs (a readable page) and /docs/openapi.json (the document), both public. */
import type { FastifyInstance } from 'fastify';

const escape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

interface Operation {
  summary?: string;
  description?: string;
}

/** Same-origin files only: the content policy (`default-src 'self'`) refuses inline styles. */
const CSS =
  'body{font-family:sans-serif;max-width:70em;margin:2em auto}td{vertical-align:top;border-top:1px solid #ddd;padding:.5em}\n';

/** A page without scripts or external assets: the county's network may reach nothing outside. */
function page(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const rows = Object.entries(paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) =>
          `<tr><td><code>${method.toUpperCase()} ${escape(path)}</code></td><td><b>${escape(op.summary ?? '')}</b>` +
          `<p>${escape(op.description ?? '').replace(/\n/g, '<br>')}</p></td></tr>`,
      ),
    )
    .join('\n');
  const info = doc.info as { title: string; description: string };
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<link rel="stylesheet" href="/docs/docs.css">
</head><body><h1>${escape(info.title)}</h1><p>${escape(info.description)}</p>
<p>OpenAPI 3.1: <a href="/docs/openapi.json">/docs/openapi.json</a></p><table>${rows}</table></body></html>`;
}

export function registerDocs(app: FastifyInstance, doc: Record<string, unknown>): void {
  const html = page(doc);
  app.get('/docs/openapi.json', (_req, reply) => reply.type('application/json; charset=utf-8').send(doc));
  app.get('/docs', (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get('/docs/docs.css', (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CSS),
  );
}
