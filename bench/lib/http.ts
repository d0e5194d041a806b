/** A lean HTTP client for load: keep-alive sockets, no per-request allocations beyond the body. */
import { Agent, request } from 'node:http';

export interface HttpClient {
  post(path: string, body: string): Promise<{ status: number; body: string }>;
  get(path: string): Promise<{ status: number; body: string }>;
  close(): void;
}

export function httpClient(baseUrl: string, opts: { token?: string; sockets?: number } = {}): HttpClient {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.sockets ?? 16 });
  const send = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request({ host: url.hostname, port: url.port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    post: (path, body) => send('POST', path, body),
    get: (path) => send('GET', path),
    close: () => agent.destroy(),
  };
}

/**
 * Sends `count` requests with `concurrency` in flight; `make(i)` builds the body of request i.
 * Every answer must have the expected status, or the run fails (a refused event skews the figure).
 */
export async function load(
  client: HttpClient,
  path: string,
  count: number,
  concurrency: number,
  make: (i: number) => string,
  expect = 202,
  onLatency?: (ms: number) => void,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      const res = await client.post(path, make(i));
      onLatency?.(performance.now() - started);
      if (res.status !== expect)
        throw new Error(`request ${i}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}
