/**
 * A department's CSV export → events, row by row. Valid rows are stored, the others reported:
 * one bad row does not hold back a file of thousands (contrast the all-or-nothing JSON batch).
 * Row numbers are as a spreadsheet shows them (the header is row 1). The record id comes from
 * the file's record number column, so importing the same file again stores nothing new.
 */
import { parse } from 'csv-parse/sync';
import { HubError } from '@hub/domain';
import { checkSubmission, toOutboxEntry, type Issue } from '../ingest.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Clock } from '../clock.js';
import { decodeCsv, type CsvEncoding } from './decode.js';
import { bindMapping, columnOfField, mapRow, type BoundMapping, type CsvMapping } from './mapping.js';

export interface ImportOptions {
  bytes: Uint8Array;
  /** The mappings of the importing department. */
  mappings: readonly CsvMapping[];
  /** A mapping id; chosen by the header row when absent. */
  format?: string | undefined;
  encoding?: CsvEncoding | undefined;
  /** Row number of the first data row (2 unless the file is a later chunk of a bigger one). */
  firstRow?: number | undefined;
  maxRows: number;
  agencies: readonly string[];
  outbox: Outbox;
  clock: Clock;
  futureSkewMs?: number | undefined;
}

export interface RowReport {
  row: number;
  recordId?: string | undefined;
  status: 'accepted' | 'duplicate' | 'rejected';
  eventId?: string;
  errors?: (Issue & { path?: string })[];
  /** Cells kept verbatim that a spreadsheet would read as a formula (see `formulaLike`). */
  warnings?: Issue[];
}

export interface ImportReport {
  format: string;
  title: string;
  encoding: CsvEncoding;
  accepted: number;
  duplicates: number;
  rejected: number;
  rows: RowReport[];
}

/**
 * Parses at most `limit` records: a file with more is refused without reading the rest, so an
 * oversized upload costs what the limit costs, not what the file holds.
 */
function readRows(text: string, limit: number): string[][] {
  try {
    const rows: string[][] = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
      to: limit,
    });
    return rows;
  } catch (err) {
    throw new HubError('VALIDATION_FAILED', `CSV 格式错误 (malformed CSV): ${(err as Error).message}`, {
      issues: [{ field: '(body)', message: 'CSV 格式错误 (malformed CSV)' }],
      cause: err,
    });
  }
}

function chooseMapping(opts: ImportOptions, header: readonly string[]): BoundMapping {
  const candidates =
    opts.format === undefined ? opts.mappings : opts.mappings.filter((m) => m.id === opts.format);
  if (candidates.length === 0) {
    throw new HubError('VALIDATION_FAILED', `未知的导入格式 (unknown import format): ${opts.format ?? ''}`, {
      issues: [
        { field: 'format', message: `可用 (available): ${opts.mappings.map((m) => m.id).join(', ')}` },
      ],
    });
  }
  const tried: { field: string; message: string }[] = [];
  for (const m of candidates) {
    const bound = bindMapping(m, header);
    if ('mapping' in bound) return bound;
    tried.push({ field: m.id, message: `${m.title}: 缺少列 (missing columns) ${bound.missing.join('、')}` });
  }
  throw new HubError(
    'VALIDATION_FAILED',
    '表头与本部门的导出格式都不匹配 (the header row matches no export format of this department)',
    {
      issues: tried,
    },
  );
}

/**
 * A cell that starts like a spreadsheet formula (`=`, `+`, `@`, a tab or carriage return, or `-`
 * not followed by a number) is stored as sent — it is the department's record — and flagged in
 * the report, so that whoever opens an export of it in a spreadsheet knows to neutralise it.
 */
export const formulaLike = (cell: string): boolean => /^[=+@\t\r]/.test(cell) || /^-(?![\d.])/.test(cell);

function formulaCells(header: readonly string[], cells: readonly string[]): Issue[] {
  const out: Issue[] = [];
  cells.forEach((cell, i) => {
    if (formulaLike(cell)) {
      out.push({
        field: header[i] ?? `#${i + 1}`,
        message:
          '以 = + - @ 开头，电子表格可能当作公式执行；已原样保存 (starts like a spreadsheet formula; stored verbatim)',
      });
    }
  });
  return out;
}

const relabel = (bound: BoundMapping, issues: readonly Issue[]) =>
  issues.map((i) => {
    const column = columnOfField(bound, i.field);
    return column === undefined ? i : { ...i, field: column, path: i.field };
  });

export async function importCsv(opts: ImportOptions): Promise<ImportReport> {
  const { text, encoding } = decodeCsv(opts.bytes, opts.encoding);
  // The header, the allowed rows, and one more to tell that the file has too many.
  const rows = readRows(text, opts.maxRows + 2);
  const header = rows[0];
  if (header === undefined) {
    throw new HubError('VALIDATION_FAILED', '文件为空 (empty file)', {
      issues: [{ field: '(body)', message: '没有表头 (no header row)' }],
    });
  }
  const data = rows.slice(1);
  if (data.length > opts.maxRows) {
    throw new HubError(
      'PAYLOAD_TOO_LARGE',
      `一次最多导入 ${opts.maxRows} 行 (at most ${opts.maxRows} rows per import); 文件更长 (the file has more)`,
      {
        issues: [{ field: '(body)', message: `最多 ${opts.maxRows} 行 (at most ${opts.maxRows} rows)` }],
      },
    );
  }
  const bound = chooseMapping(opts, header);
  const firstRow = opts.firstRow ?? 2;
  const now = opts.clock.now();
  const ctx = {
    agencies: opts.agencies,
    now,
    ...(opts.futureSkewMs !== undefined ? { futureSkewMs: opts.futureSkewMs } : {}),
  };
  const reports: RowReport[] = [];
  const pending: Promise<void>[] = [];
  data.forEach((cells, i) => {
    const row = firstRow + i;
    const mapped = mapRow(bound, cells);
    const report: RowReport = { row, recordId: mapped.recordId, status: 'rejected' };
    const warnings = formulaCells(header, cells);
    if (warnings.length > 0) report.warnings = warnings;
    reports.push(report);
    if (mapped.issues.length > 0) return void (report.errors = mapped.issues);
    const checked = checkSubmission(mapped.json, ctx);
    if (!checked.ok) return void (report.errors = relabel(bound, checked.issues));
    pending.push(
      opts.outbox.append([toOutboxEntry(checked.event, now)]).then(([outcome]) => {
        if (outcome === undefined) return;
        if (outcome.status === 'conflict') {
          report.errors = [
            {
              field: columnOfField(bound, 'source.revision') ?? 'source.revision',
              message: `同一记录编号同一版本已以不同内容导入，请递增版本 (same record and revision imported before with other content; increase the revision); 已有事件 existing event ${outcome.eventId}`,
            },
          ];
          return;
        }
        report.status = outcome.status;
        report.eventId = outcome.eventId;
      }),
    );
  });
  await Promise.all(pending);
  const count = (s: RowReport['status']) => reports.filter((r) => r.status === s).length;
  return {
    format: bound.mapping.id,
    title: bound.mapping.title,
    encoding,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    rows: reports,
  };
}
