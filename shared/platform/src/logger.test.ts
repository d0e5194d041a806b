import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createHttpServer, listen } from './http/server.js';

describe('service logger', () => {
  it('names the service once and logs "listening" once', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const captured = createLogger('query-api', 'info', sink);
    const app = createHttpServer({ logger: captured });
    const url = await listen(app, '127.0.0.1', 0);
    captured.info({ url }, 'listening');
    await app.close();
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.filter((l) => /listening/i.test(String(l.msg)))).toHaveLength(1);
    for (const [i, l] of parsed.entries()) {
      expect(l.service).toBe('query-api');
      expect(l).not.toHaveProperty('name');
      expect(lines[i]!.match(/"service":/g)).toHaveLength(1);
    }
  });
});
