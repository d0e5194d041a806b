import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { AGENCIES, HubError, SERVICES, isAgencyCode, type ServiceName } from '@hub/domain';
import { agencyServiceUrl, PORT_VARIABLES, loadHubConfig, type HubConfig } from '../config.js';

interface RowReport {
  row: number;
  recordId?: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  eventId?: string;
  errors?: { field: string; message: string; rule?: string }[];
}

interface Flags {
  agency: string;
  url?: string;
  token?: string;
  format?: string;
  chunk: string;
}

/**
 * Splits a CSV file's bytes into records without decoding it: a newline ends a record unless
 * inside quotes. Safe for UTF-8 and GBK alike (neither uses 0x0A or 0x22 inside a character).
 */
export function splitCsvRecords(bytes: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    if (i === bytes.length || (b === 0x0a && !quoted)) {
      const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
      const record = bytes.subarray(start, end);
      if (record.length > 0) records.push(record);
      start = i + 1;
    }
  }
  return records;
}

const isUtf8 = (bytes: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

interface Target {
  url: string;
  /** The variable that moves its port, when it is one of the hub's services. */
  variable: string | undefined;
}

/** Where to send: the agency's service; the finance bureau's payments go to every service. */
function targets(config: HubConfig, agency: string, url: string | undefined): Target[] {
  if (url) return url.split(',').map((u) => ({ url: u.trim().replace(/\/$/, ''), variable: undefined }));
  const service = AGENCIES[agency]?.service;
  const target = (s: ServiceName): Target => ({
    url: agencyServiceUrl(config, s),
    variable: PORT_VARIABLES[s],
  });
  if (service) return [target(service)];
  if (AGENCIES[agency]?.kind === 'finance') return (Object.keys(SERVICES) as ServiceName[]).map(target);
  throw new HubError(
    'VALIDATION_FAILED',
    `${agency} 直接向 NATS 报送，请用 --url 指定服务 (${agency} publishes directly; give --url)`,
  );
}

/** With several services, a row counts where it was taken; otherwise its most telling rejection. */
function merge(reports: RowReport[][]): RowReport[] {
  const first = reports[0] ?? [];
  return first.map((_, i) => {
    const candidates = reports.map((r) => r[i]).filter((r): r is RowReport => r !== undefined);
    return (
      candidates.find((r) => r.status !== 'rejected') ??
      candidates.find((r) => !r.errors?.some((e) => e.rule === 'AGENCY_NOT_IN_SERVICE')) ??
      candidates[0]!
    );
  });
}

async function post(
  { url, variable }: Target,
  agency: string,
  body: Buffer,
  opts: { token: string; encoding: string; firstRow: number; format?: string },
) {
  const q = new URLSearchParams({ agency, encoding: opts.encoding, firstRow: String(opts.firstRow) });
  if (opts.format) q.set('format', opts.format);
  const res = await fetch(`${url}/v1/imports?${q.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${opts.token}` },
    body,
  }).catch((err: unknown) => {
    throw unreachable(url, variable, err);
  });
  const json = (await res.json()) as {
    rows?: RowReport[];
    detail?: string;
    errors?: { field: string; message: string }[];
  };
  if (!res.ok || !json.rows) {
    throw new HubError(
      'VALIDATION_FAILED',
      `${url} 拒绝了导入 (rejected the import, ${res.status}): ${json.detail ?? ''}`,
      {
        issues: json.errors ?? [],
      },
    );
  }
  return json.rows;
}

/** A service that does not answer: which URL, which variable moves it, is the hub running. */
function unreachable(url: string, variable: string | undefined, err: unknown): HubError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const hint = variable
    ? `；若平台用其他端口启动，请设置相同的 ${variable} (if the hub was started with other ports, set the same ${variable})`
    : '';
  return new HubError(
    'SERVICE_UNAVAILABLE',
    `无法连接 ${url} (cannot reach ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}) — ` +
      `平台是否已启动？(is the hub running? npm start)${hint}；或用 --url 指定 (or give --url)`,
    { cause: err },
  );
}

/** `hub import --agency <code> <file>`: a department's CSV export, in chunks, with a progress bar. */
export function registerImport(program: Command): void {
  program
    .command('import <file>')
    .description('导入部门系统导出的 CSV 文件 (import a department system CSV export)')
    .requiredOption('--agency <code>', '部门代码 agency code, e.g. GSJ')
    .option(
      '--url <url>',
      '服务地址 service URL, or several comma-separated (default: the agency service on this machine)',
    )
    .option(
      '--token <token>',
      '访问令牌 bearer token; 建议用 HUB_TOKEN，命令行上的令牌 ps 可见 (prefer env HUB_TOKEN: a token on the command line shows in ps; default <data dir>/demo-token.txt)',
    )
    .option('--format <id>', '导入格式 mapping id (default: chosen by the header row)')
    .option('--chunk <rows>', '每次提交行数 rows per request', '2000')
    .action(async (file: string, flags: Flags) => {
      const agency = flags.agency.toUpperCase();
      if (!isAgencyCode(agency))
        throw new HubError('VALIDATION_FAILED', `未知的部门代码 (unknown agency code): ${agency}`);
      const config = loadHubConfig(process.env);
      const demo = join(config.dataDir, 'demo-token.txt');
      const token =
        flags.token ?? config.token ?? (existsSync(demo) ? readFileSync(demo, 'utf8').trim() : '');
      if (!token)
        throw new HubError(
          'UNAUTHORIZED',
          '缺少令牌：用 --token 或 HUB_TOKEN (no token: use --token or HUB_TOKEN)',
        );
      const bytes = readFileSync(file);
      const encoding = isUtf8(bytes) ? 'utf-8' : 'gbk';
      const [header, ...records] = splitCsvRecords(bytes);
      if (header === undefined) throw new HubError('VALIDATION_FAILED', `文件为空 (empty file): ${file}`);
      const chunk = Math.max(1, Number(flags.chunk) || 2000);
      const urls = targets(config, agency, flags.url);
      const bar = new cliProgress.SingleBar(
        { format: '导入 importing [{bar}] {value}/{total} 行 rows', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(records.length, 0);
      const rows: RowReport[] = [];
      try {
        for (let i = 0; i < records.length; i += chunk) {
          const part = records.slice(i, i + chunk);
          const body = Buffer.concat([
            header,
            Buffer.from('\n'),
            ...part.flatMap((r) => [r, Buffer.from('\n')]),
          ]);
          const opts = {
            token,
            encoding,
            firstRow: 2 + i,
            ...(flags.format ? { format: flags.format } : {}),
          };
          const reports: RowReport[][] = [];
          for (const target of urls) reports.push(await post(target, agency, body, opts));
          rows.push(...merge(reports));
          bar.update(Math.min(i + chunk, records.length));
        }
      } finally {
        bar.stop();
      }
      printSummary(file, rows);
      if (rows.some((r) => r.status === 'rejected')) process.exitCode = 2;
    });
}

function printSummary(file: string, rows: RowReport[]): void {
  const n = (s: RowReport['status']) => rows.filter((r) => r.status === s).length;
  const rejected = rows.filter((r) => r.status === 'rejected');
  for (const r of rejected.slice(0, 100)) {
    const why = (r.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    console.log(
      `  第 ${r.row} 行 (row ${r.row})${r.recordId ? ` [${r.recordId}]` : ''} 拒绝 rejected — ${why}`,
    );
  }
  if (rejected.length > 100)
    console.log(`  … 另有 ${rejected.length - 100} 行被拒绝 (${rejected.length - 100} more rejected rows)`);
  console.log(
    `${file}: 共 ${rows.length} 行 (rows) — 接受 accepted ${n('accepted')}, 重复 duplicate ${n('duplicate')}, 拒绝 rejected ${n('rejected')}`,
  );
}
