/**
 * Legal clocks (法定期限) in the read model: one row per clock of a penalty case (送达, 公示) or
 * a 两法衔接 transfer (移送决定, 移交公安, 公安立案决定), with its deadline on the working-day
 * calendar in force at the starting act and its status. Derived from the events alone, clock
 * ticks included, so a rebuild or replay to the same position has the same rows.
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export interface LegalClocksTable {
  /** `<kind>:case:<agency>/<caseId>` or `<kind>:transfer:<uscc>/<caseId>/<transferNo>`. */
  clock_id: string;
  /** `service | publication | transfer_decision | handover | police_decision`. */
  kind: string;
  uscc: string;
  /** The agency the clock binds (police for `police_decision`). */
  agency: string;
  case_id: string;
  /** '' for a case's clocks. */
  transfer_no: string;
  rule: string;
  article: string;
  started_at: string;
  started_by_event_id: string;
  due_day: string;
  due_at: string;
  met_at: string | null;
  /** `open | met | late | overdue | stopped`. */
  status: string;
  calendar_version: string | null;
  fallback_years_json: string;
  last_seq: number;
}

export async function migrateLegal<DB>(db: Kysely<DB>): Promise<void> {
  const s = db.schema;
  const text = 'text' as const;
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await s
    .createTable('legal_clocks')
    .ifNotExists()
    .addColumn('clock_id', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('uscc', text, (c) => c.notNull())
    .addColumn('agency', text, (c) => c.notNull())
    .addColumn('case_id', text, (c) => c.notNull())
    .addColumn('transfer_no', text, (c) => c.notNull())
    .addColumn('rule', text, (c) => c.notNull())
    .addColumn('article', text, (c) => c.notNull())
    .addColumn('started_at', text, (c) => c.notNull())
    .addColumn('started_by_event_id', text, (c) => c.notNull())
    .addColumn('due_day', text, (c) => c.notNull())
    .addColumn('due_at', text, (c) => c.notNull())
    .addColumn('met_at', text)
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('calendar_version', text)
    .addColumn('fallback_years_json', text, (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .$call((t) => (sqlite ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await s
    .createIndex('legal_clocks_case')
    .ifNotExists()
    .on('legal_clocks')
    .columns(['agency', 'case_id', 'transfer_no'])
    .execute();
  await s
    .createIndex('legal_clocks_status')
    .ifNotExists()
    .on('legal_clocks')
    .columns(['status', 'due_at'])
    .execute();
}
