/**
 * CSV mappings: how one department's export (Chinese column headers) becomes events. A mapping
 * names its kind, its department, its source system and the header names its export uses; the
 * kind (kinds.ts) says which columns it needs and how a row becomes canonical JSON.
 *
 * @example
 * const m = inspectionMapping({ id: 'gsj-random-inspection', agency: 'GSJ', title: '双随机抽查结果',
 *   system: 'gsj-sjsj', headers: { recordId: ['抽查编号'] }, defaults: { reason: 'RANDOM_SELECTION' } });
 */
import type { FieldIssue } from '@hub/domain';
import { KINDS, type MappingKind } from './kinds.js';

export interface CsvMapping {
  /** Stable id, used as `?format=`. */
  readonly id: string;
  readonly agency: string;
  /** What the department calls the export. */
  readonly title: string;
  /** `source.system` of the events. */
  readonly system: string;
  readonly kind: MappingKind;
  /** Extra header names per logical column, tried before the kind's defaults. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  /** Values for columns the export does not have (e.g. the matter of a single-matter export). */
  readonly defaults?: Readonly<Record<string, string>>;
}

/** Full-width brackets and spaces do not distinguish headers. */
export const normaliseHeader = (h: string): string =>
  h.trim().replace(/[（]/g, '(').replace(/[）]/g, ')').replace(/\s+/g, '');

export interface BoundMapping {
  readonly mapping: CsvMapping;
  /** Logical column → index in the row. */
  readonly index: ReadonlyMap<string, number>;
  /** Logical column → header as written in the file. */
  readonly header: ReadonlyMap<string, string>;
}

/** Binds a mapping to a file's header row; lists the required columns it lacks. */
export function bindMapping(
  mapping: CsvMapping,
  headerRow: readonly string[],
): BoundMapping | { missing: string[] } {
  const kind = KINDS[mapping.kind];
  const positions = new Map(headerRow.map((h, i) => [normaliseHeader(h), i]));
  const index = new Map<string, number>();
  const header = new Map<string, string>();
  for (const [column, defaults] of Object.entries(kind.columns)) {
    const names = [...(mapping.headers?.[column] ?? []), ...defaults];
    const found = names.find((n) => positions.has(normaliseHeader(n)));
    if (found !== undefined) {
      index.set(column, positions.get(normaliseHeader(found))!);
      header.set(column, headerRow[positions.get(normaliseHeader(found))!]!.trim());
    }
  }
  const missing = kind.required
    .filter((c) => !index.has(c) && mapping.defaults?.[c] === undefined)
    .map((c) => (mapping.headers?.[c] ?? kind.columns[c] ?? [c])[0] ?? c);
  return missing.length > 0 ? { missing } : { mapping, index, header };
}

export interface MappedRow {
  readonly recordId: string | undefined;
  readonly json: Record<string, unknown>;
  readonly issues: FieldIssue[];
}

/** One row → canonical JSON of the event, with cell-level issues named by column header. */
export function mapRow(bound: BoundMapping, row: readonly string[]): MappedRow {
  const { mapping } = bound;
  const cell = (column: string): string | undefined => {
    const i = bound.index.get(column);
    const v = i === undefined ? undefined : row[i]?.trim();
    return v === undefined || v === '' ? mapping.defaults?.[column] : v;
  };
  const issues: FieldIssue[] = [];
  const fail = (column: string, message: string) =>
    issues.push({ field: columnLabel(bound, column), message });
  const json = KINDS[mapping.kind].build({ cell, fail, mapping });
  return { recordId: cell('recordId'), json, issues };
}

/** `统一社会信用代码` as written in the file, or the logical name when the column is absent. */
export const columnLabel = (bound: BoundMapping, column: string): string =>
  bound.header.get(column) ?? column;

/** Names the column behind an event field path (for rule and shape issues on mapped rows). */
export function columnOfField(bound: BoundMapping, field: string): string | undefined {
  const kind = KINDS[bound.mapping.kind];
  const hit = kind.fields.find(([prefix]) => field === prefix || field.startsWith(`${prefix}.`));
  return hit ? columnLabel(bound, hit[1]) : undefined;
}

const make =
  (kind: MappingKind) =>
  (m: Omit<CsvMapping, 'kind'>): CsvMapping =>
    Object.freeze({ ...m, kind });

export const inspectionMapping = make('inspection');
export const penaltyDecisionMapping = make('penalty-decision');
export const complaintMapping = make('complaint');
export const paymentMapping = make('payment');
