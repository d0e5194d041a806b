/**
 * The README's and docs' shell sessions, run as written against a demo hub (`hub start --demo`
 * as a real process, real HTTP): every `curl` answers, and where the docs show an answer
 * (`# → 400 {...}`), the status and the fields it names are what the hub says. Only the ports
 * and the data folder differ from a newcomer's machine: the text's 127.0.0.1:808x become the
 * test's ports, `var/` its data folder, and `npm run hub --` the built CLI.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, tempDir, waitFor } from '@hub/testing';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HUB_CLI = join(ROOT, 'services/hub/dist/main.js');
const DEFAULT_PORTS = {
  QUERY_API_PORT: 8080,
  MARKET_SUPERVISION_PORT: 8081,
  URBAN_CONSTRUCTION_PORT: 8082,
  PUBLIC_SAFETY_PORT: 8083,
  PROJECTOR_PORT: 8084,
};

/** The ```sh blocks of a document that talk to the hub (not the ones that start it). */
export function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .map((m) => m[1]!)
    .filter((b) => /\bcurl\b|npm run (-s )?hub/.test(b) && !/npm start|npm test/.test(b));
}

interface Expected {
  /** The command as written (first line), for messages. */
  command: string;
  status?: number;
  fields: [string, string][];
}

/**
 * Every curl the script runs, in order (also those inside `$(…)`), with what the docs say it
 * answers: the `# →` comment after a command, its status if it starts with one, and its
 * `"key":value` pairs with plain values.
 */
export function expectations(script: string): Expected[] {
  const lines = script.split('\n');
  const out: Expected[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const calls = line.match(/(^|\$\()\s*curl\s/g)?.length ?? 0;
    if (calls === 0) continue;
    let end = i;
    while (end < lines.length - 1 && (lines[end]!.trimEnd().endsWith('\\') || unbalanced(lines, i, end)))
      end++;
    let comment = '';
    let j = end + 1;
    if (lines[j]?.trimStart().startsWith('# →')) {
      comment = lines[j]!.replace(/^\s*# →\s*/, '');
      // Continuation lines are indented after the '#'.
      for (j++; /^\s*#\s{2,}/.test(lines[j] ?? ''); j++) comment += lines[j]!.replace(/^\s*#/, '');
    }
    for (let k = 1; k < calls; k++) out.push({ command: line.trim(), fields: [] });
    const status = /^(\d{3})\b/.exec(comment)?.[1];
    const fields = [
      ...comment.matchAll(/"(\w+)":("(?:[^"\\…]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)(?=[,}\]])/g),
    ].map((m) => [m[1]!, m[2]!] as [string, string]);
    out.push({ command: line.trim(), ...(status ? { status: Number(status) } : {}), fields });
    i = end;
  }
  return out;
}

/** Whether lines i..end leave a single-quoted string open (a multi-line -d '{…}'). */
function unbalanced(lines: string[], i: number, end: number): boolean {
  // A trailing comment may hold an apostrophe ("agency's"): it does not open a quote.
  const code = lines.slice(i, end + 1).map((l) => l.replace(/\s+#\s.*$/, ''));
  return code.join('\n').split("'").length % 2 === 0;
}

const CURL_WRAPPER = `
curl() {
  local out code
  out=$(command curl -w '\\n__STATUS__%{http_code}' "$@")
  code=\${out##*__STATUS__}
  out=\${out%$'\\n'__STATUS__*}
  printf '%s\\n' "$out"
  printf '%s\\t%s\\n' "$code" "$(printf '%s' "$out" | tr '\\n' ' ')" >> "$CURL_LOG"
}
set -euo pipefail
`;

describe('the docs’ curl sessions against a demo hub', () => {
  const data = tempDir('hub-docs-');
  const dataDir = join(data.path, 'var');
  const env: Record<string, string> = {};
  let hub: ChildProcess;
  let output = '';

  beforeAll(async () => {
    env.HUB_DATA_DIR = dataDir;
    env.NATS_PORT = String(await freePort());
    for (const v of Object.keys(DEFAULT_PORTS)) env[v] = String(await freePort());
    hub = spawn(process.execPath, [HUB_CLI, 'start', '--demo'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    hub.stdout!.on('data', (b: Buffer) => (output += b.toString()));
    hub.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    await waitFor(() => (output.includes('Ctrl-C') ? true : undefined), {
      timeoutMs: 280_000,
      what: `hub start --demo: ${output}`,
    });
    const accepted = Number(/演示数据 demo data: (\d+)/.exec(output)?.[1]);
    expect(accepted).toBeGreaterThan(0);
    // Everything accepted is in the stream and projected (lag 0).
    await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${env.PROJECTOR_PORT}/metrics`)).text();
        const applied = Number(/^hub_projector_applied_seq (\d+)/m.exec(text)?.[1]);
        const lag = Number(/^hub_projector_lag_events (\d+)/m.exec(text)?.[1]);
        return applied >= accepted && lag === 0 ? true : undefined;
      },
      { timeoutMs: 120_000, what: 'the demo data projected' },
    );
  }, 420_000);

  afterAll(async () => {
    if (hub?.exitCode === null) {
      hub.kill('SIGTERM');
      await new Promise((r) => hub.once('exit', r));
    }
    data.remove();
  });

  /** The doc's blocks as one script for this hub, run by bash from the repository root. */
  const run = async (doc: string) => {
    let script = shellBlocks(readFileSync(join(ROOT, doc), 'utf8')).join('\n');
    for (const [v, port] of Object.entries(DEFAULT_PORTS))
      script = script.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${env[v]}`);
    script = script
      .replaceAll(/npm run (-s )?hub --/g, `node ${HUB_CLI}`)
      .replaceAll(/(?<=[\s"'(])var\//g, `${dataDir}/`);
    const log = join(data.path, `${doc.replace(/\W/g, '_')}.log`);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        'bash',
        ['-c', CURL_WRAPPER + script],
        {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '', ...env, CURL_LOG: log },
          maxBuffer: 64 << 20,
          timeout: 240_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    const calls = readFileSync(log, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => {
        const [status, ...body] = l.split('\t');
        return { status: Number(status), body: body.join('\t') };
      });
    return { ...result, script, calls, expected: expectations(script) };
  };

  for (const doc of ['README.md', 'docs/query-api.md']) {
    it(`${doc}: every command runs, every answer is the documented one`, async () => {
      const r = await run(doc);
      expect(r.stderr.includes('错误') ? r.stderr : '', doc).toBe('');
      expect(r.code, `${doc} exited ${r.code}: ${r.stderr}`).toBe(0);
      expect(r.calls.length, 'every curl in the text ran').toBe(r.expected.length);
      r.expected.forEach((e, i) => {
        const call = r.calls[i]!;
        const what = `${doc}: ${e.command} → ${call.status} ${call.body.slice(0, 600)}`;
        if (e.status !== undefined) expect(call.status, what).toBe(e.status);
        else expect(call.status, what).toBeLessThan(300);
        for (const [key, value] of e.fields) expect(call.body, what).toContain(`"${key}":${value}`);
      });
    }, 300_000);
  }
});
