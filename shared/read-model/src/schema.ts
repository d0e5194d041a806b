/**
 * The read model schema: the kysely `ReadModelDatabase` interface and the migration that
 * creates it. The projector OWNS this schema; the query API reads through it.
 *
 * Portable SQL only (kysely's schema builder, no SQLite-only functions), so the same
 * projections can run on PostgreSQL. Times are ISO 8601 UTC text (`2026-03-02T02:00:00.000Z`),
 * which sorts as time; days are `YYYY-MM-DD` in Asia/Shanghai. JSON columns (`*_json`) hold
 * canonical protobuf JSON. Every value is derived from the events alone (no wall clock), so a
 * rebuild from sequence 1 is identical to the live model.
 */
import { SqliteAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { migrateAlerts, type AlertAgenciesTable, type AlertsTable } from './alerts-schema.js';
import { migrateLegal, type LegalClocksTable } from './legal-schema.js';

/** Bumped when a migration is added; stored in `read_model_meta`. */
export const SCHEMA_VERSION = 4; // 2: alerts, alert_agencies; 3: legal_clocks; 4: chain_links

export type TimelineStatus = 'active' | 'corrected' | 'retracted';
export type InspectionStatus = 'planned' | 'started' | 'completed' | 'cancelled';
export type TransferStatus = 'transferred' | 'accepted' | 'declined';

export interface ProjectionPositionTable {
  /** 'events' (the ENF_EVENTS stream). */
  name: string;
  /** Last stream sequence applied (or dead-lettered), written in the same transaction as the rows. */
  last_seq: number;
}

/**
 * One row per applied event. Alone enough to answer a history "as of" T:
 * `recorded_at <= T`, and a row counts as corrected/retracted only when `superseded_at <= T`.
 */
export interface TimelineTable {
  seq: number;
  event_id: string;
  uscc: string;
  /** Registered name as given by this event (may be null). */
  business_name: string | null;
  agency: string;
  /** Canonical camelCase, e.g. `inspectionCompleted`. */
  event_type: string;
  occurred_at: string;
  recorded_at: string;
  correlation_id: string | null;
  source_system: string;
  source_record_id: string;
  revision: number;
  /** inspectionId / caseId / complaintId / jointInspectionId / alertId / catalogue version. */
  subject_ref: string | null;
  /** For corrections and retractions: the event id they target. */
  target_event_id: string | null;
  /** Canonical JSON of the payload (for a correction: `{correctedEventId, reason, replacement}`). */
  payload_json: string;
  status: TimelineStatus;
  /** The correction or retraction that superseded this row (the latest one). */
  superseded_by_event_id: string | null;
  /** recorded_at of that correction or retraction. */
  superseded_at: string | null;
}

/** Compatibility view over `timeline` (an event is applied iff it has a timeline row). */
export interface AppliedEventsView {
  event_id: string;
  seq: number;
}

export interface BusinessesTable {
  uscc: string;
  /** Latest non-empty name in stream order. */
  name: string | null;
  address: string | null;
  /** JSON array of agency codes that recorded events about the business, sorted. */
  agencies_json: string;
  /** JSON array of domain numbers (1–6) of those agencies, sorted. */
  domains_json: string;
  first_seen_at: string;
  last_event_at: string;
  event_count: number;
  inspection_count: number;
  penalty_case_count: number;
  complaint_count: number;
  transfer_count: number;
  /** Events about this business sitting in dead_letters: its history may be incomplete. */
  dead_letter_count: number;
}

export interface InspectionsTable {
  agency: string;
  inspection_id: string;
  uscc: string;
  reason: string | null;
  status: InspectionStatus;
  planned_for: string | null;
  started_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  result: string | null;
  matter_codes_json: string;
  officers_json: string;
  findings_json: string;
  joint_inspection_id: string | null;
  last_seq: number;
}

export interface PenaltyCasesTable {
  agency: string;
  case_id: string;
  uscc: string;
  /** Event type of the latest procedure step, e.g. `penaltyDecided`. */
  stage: string;
  opened_at: string | null;
  decided_at: string | null;
  decision_no: string | null;
  violation_code: string | null;
  legal_basis_json: string | null;
  amount_fen: number | null;
  other_sanctions_json: string | null;
  major: number;
  paid_fen: number;
  served_at: string | null;
  published_at: string | null;
  revoked_at: string | null;
  transferred_at: string | null;
  matter_codes_json: string | null;
  /** Personal data (当事人为自然人). */
  party_person_json: string | null;
  last_seq: number;
}

export interface PenaltyStepsTable {
  agency: string;
  case_id: string;
  seq: number;
  event_id: string;
  step: string;
  occurred_at: string;
  detail_json: string;
}

export interface TransfersTable {
  /** The transferring (administrative) agency. */
  agency: string;
  case_id: string;
  transfer_no: string;
  uscc: string;
  police_agency: string;
  transferred_at: string;
  status: TransferStatus;
  decided_at: string | null;
  police_case_no: string | null;
  decline_reason: string | null;
  detail_json: string;
  last_seq: number;
}

export interface ComplaintsTable {
  agency: string;
  complaint_id: string;
  uscc: string;
  received_at: string;
  channel: string | null;
  summary: string;
  matter_codes_json: string;
  /** Personal data. */
  complainant_json: string | null;
  anonymous: number;
  last_seq: number;
}

export interface CorrectionsTable {
  event_id: string;
  kind: 'corrected' | 'retracted';
  target_event_id: string;
  agency: string;
  uscc: string;
  reason: string;
  recorded_at: string;
  seq: number;
}

export interface AgencyActivityDailyTable {
  agency: string;
  /** YYYY-MM-DD of occurred_at in Asia/Shanghai. */
  day: string;
  event_type: string;
  count: number;
}

export interface DeadLettersTable {
  seq: number;
  subject: string;
  /** Stable code: undecodable, unknown_type, schema_violation, agency_mismatch, … */
  reason: string;
  detail: string;
  event_id: string | null;
  uscc: string | null;
  agency: string | null;
  /** JetStream's timestamp of the message (ISO), not the wall clock. */
  stream_time: string;
  /** How many times `hub dlq retry` tried it again and it failed again. */
  retried: number;
}

/**
 * The hash chain (chain.ts): one link per stream sequence the projector consumed, written in
 * the same transaction as that message's rows. Hashes are lower-case hex SHA-256.
 */
export interface ChainLinksTable {
  seq: number;
  /** The previous link's `hash` (64 zeros for the first link). */
  prev_hash: string;
  /** SHA-256 of the message's exact bytes (the signed protobuf envelope). */
  event_hash: string;
  /** SHA-256 of `enf-chain-v1\n<prev_hash>\n<seq>\n<event_hash>\n`. */
  hash: string;
}

/** The writer lock: one projector per read model file (see writer-lock.ts). */
export interface WriterLockTable {
  name: string;
  pid: number;
  host: string;
  started_at: string;
}

export interface ReadModelMetaTable {
  key: string;
  value: string;
}

export interface ReadModelDatabase {
  projection_position: ProjectionPositionTable;
  timeline: TimelineTable;
  applied_events: AppliedEventsView;
  businesses: BusinessesTable;
  inspections: InspectionsTable;
  penalty_cases: PenaltyCasesTable;
  penalty_steps: PenaltyStepsTable;
  transfers: TransfersTable;
  complaints: ComplaintsTable;
  corrections: CorrectionsTable;
  agency_activity_daily: AgencyActivityDailyTable;
  dead_letters: DeadLettersTable;
  alerts: AlertsTable;
  alert_agencies: AlertAgenciesTable;
  legal_clocks: LegalClocksTable;
  chain_links: ChainLinksTable;
  read_model_meta: ReadModelMetaTable;
  writer_lock: WriterLockTable;
}

/** The read model tables and their primary keys (the order used by digests). */
export const READ_MODEL_TABLES = {
  projection_position: ['name'],
  timeline: ['seq'],
  businesses: ['uscc'],
  inspections: ['agency', 'inspection_id'],
  penalty_cases: ['agency', 'case_id'],
  penalty_steps: ['agency', 'case_id', 'seq'],
  transfers: ['agency', 'case_id', 'transfer_no'],
  complaints: ['agency', 'complaint_id'],
  corrections: ['event_id'],
  agency_activity_daily: ['agency', 'day', 'event_type'],
  dead_letters: ['seq'],
  alerts: ['alert_id'],
  alert_agencies: ['alert_id', 'agency'],
  legal_clocks: ['clock_id'],
  chain_links: ['seq'],
} as const satisfies Partial<Record<keyof ReadModelDatabase, readonly string[]>>;

export type ReadModelTable = keyof typeof READ_MODEL_TABLES;

/** Creates every table, index and view when missing; safe to run at every open. */
export async function migrateReadModel(db: Kysely<ReadModelDatabase>): Promise<void> {
  const s = db.schema;
  const text = 'text' as const;
  const int = 'bigint' as const;
  // Storage hints that only SQLite understands; the SQL stays portable otherwise. On SQLite a
  // sequence key declared INTEGER is the rowid itself, and tables with a composite text key
  // are stored WITHOUT ROWID: one b-tree per table instead of two, on every write.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const seqKey = sqlite ? ('integer' as const) : int;
  const compact = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) =>
    sqlite ? t.modifyEnd(sql`without rowid`) : t;
  await s
    .createTable('read_model_meta')
    .ifNotExists()
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('value', text, (c) => c.notNull())
    .execute();
  await s
    .createTable('writer_lock')
    .ifNotExists()
    .addColumn('name', text, (c) => c.primaryKey())
    .addColumn('pid', int, (c) => c.notNull())
    .addColumn('host', text, (c) => c.notNull())
    .addColumn('started_at', text, (c) => c.notNull())
    .execute();
  await s
    .createTable('projection_position')
    .ifNotExists()
    .addColumn('name', text, (c) => c.primaryKey())
    .addColumn('last_seq', int, (c) => c.notNull())
    .execute();

  await s
    .createTable('timeline')
    .ifNotExists()
    .addColumn('seq', seqKey, (c) => c.primaryKey())
    .addColumn('event_id', text, (c) => c.notNull().unique())
    .addColumn('uscc', text, (c) => c.notNull())
    .addColumn('business_name', text)
    .addColumn('agency', text, (c) => c.notNull())
    .addColumn('event_type', text, (c) => c.notNull())
    .addColumn('occurred_at', text, (c) => c.notNull())
    .addColumn('recorded_at', text, (c) => c.notNull())
    .addColumn('correlation_id', text)
    .addColumn('source_system', text, (c) => c.notNull())
    .addColumn('source_record_id', text, (c) => c.notNull())
    .addColumn('revision', int, (c) => c.notNull())
    .addColumn('subject_ref', text)
    .addColumn('target_event_id', text)
    .addColumn('payload_json', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('superseded_by_event_id', text)
    .addColumn('superseded_at', text)
    .execute();
  await s
    .createIndex('timeline_uscc_occurred')
    .ifNotExists()
    .on('timeline')
    .columns(['uscc', 'occurred_at', 'seq'])
    .execute();
  // No index on subject_ref: only corrections look rows up by it, within one business
  // (through the index above), and every event would pay for it.
  // A view, not a second table: the timeline's unique event_id already answers "applied?",
  // and one index fewer per event matters on the hot path.
  // PostgreSQL has no CREATE VIEW IF NOT EXISTS, SQLite no CREATE OR REPLACE VIEW.
  const view = s.createView('applied_events');
  await (sqlite ? view.ifNotExists() : view.orReplace())
    .as(db.selectFrom('timeline').select(['event_id', 'seq']))
    .execute();

  await s
    .createTable('businesses')
    .ifNotExists()
    .addColumn('uscc', text, (c) => c.primaryKey())
    .addColumn('name', text)
    .addColumn('address', text)
    .addColumn('agencies_json', text, (c) => c.notNull())
    .addColumn('domains_json', text, (c) => c.notNull())
    .addColumn('first_seen_at', text, (c) => c.notNull())
    .addColumn('last_event_at', text, (c) => c.notNull())
    .addColumn('event_count', int, (c) => c.notNull())
    .addColumn('inspection_count', int, (c) => c.notNull())
    .addColumn('penalty_case_count', int, (c) => c.notNull())
    .addColumn('complaint_count', int, (c) => c.notNull())
    .addColumn('transfer_count', int, (c) => c.notNull())
    .addColumn('dead_letter_count', int, (c) => c.notNull())
    .execute();

  await compact(
    s
      .createTable('inspections')
      .ifNotExists()
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('inspection_id', text, (c) => c.notNull())
      .addColumn('uscc', text, (c) => c.notNull())
      .addColumn('reason', text)
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('planned_for', text)
      .addColumn('started_at', text)
      .addColumn('completed_at', text)
      .addColumn('cancelled_at', text)
      .addColumn('result', text)
      .addColumn('matter_codes_json', text, (c) => c.notNull())
      .addColumn('officers_json', text, (c) => c.notNull())
      .addColumn('findings_json', text, (c) => c.notNull())
      .addColumn('joint_inspection_id', text)
      .addColumn('last_seq', int, (c) => c.notNull())
      .addPrimaryKeyConstraint('inspections_pk', ['agency', 'inspection_id']),
  ).execute();
  await s.createIndex('inspections_uscc').ifNotExists().on('inspections').columns(['uscc']).execute();

  await compact(
    s
      .createTable('penalty_cases')
      .ifNotExists()
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('case_id', text, (c) => c.notNull())
      .addColumn('uscc', text, (c) => c.notNull())
      .addColumn('stage', text, (c) => c.notNull())
      .addColumn('opened_at', text)
      .addColumn('decided_at', text)
      .addColumn('decision_no', text)
      .addColumn('violation_code', text)
      .addColumn('legal_basis_json', text)
      .addColumn('amount_fen', int)
      .addColumn('other_sanctions_json', text)
      .addColumn('major', int, (c) => c.notNull())
      .addColumn('paid_fen', int, (c) => c.notNull())
      .addColumn('served_at', text)
      .addColumn('published_at', text)
      .addColumn('revoked_at', text)
      .addColumn('transferred_at', text)
      .addColumn('matter_codes_json', text)
      .addColumn('party_person_json', text)
      .addColumn('last_seq', int, (c) => c.notNull())
      .addPrimaryKeyConstraint('penalty_cases_pk', ['agency', 'case_id']),
  ).execute();
  await s.createIndex('penalty_cases_uscc').ifNotExists().on('penalty_cases').columns(['uscc']).execute();

  await compact(
    s
      .createTable('penalty_steps')
      .ifNotExists()
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('case_id', text, (c) => c.notNull())
      .addColumn('seq', int, (c) => c.notNull())
      .addColumn('event_id', text, (c) => c.notNull())
      .addColumn('step', text, (c) => c.notNull())
      .addColumn('occurred_at', text, (c) => c.notNull())
      .addColumn('detail_json', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('penalty_steps_pk', ['agency', 'case_id', 'seq']),
  ).execute();

  await compact(
    s
      .createTable('transfers')
      .ifNotExists()
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('case_id', text, (c) => c.notNull())
      .addColumn('transfer_no', text, (c) => c.notNull())
      .addColumn('uscc', text, (c) => c.notNull())
      .addColumn('police_agency', text, (c) => c.notNull())
      .addColumn('transferred_at', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('decided_at', text)
      .addColumn('police_case_no', text)
      .addColumn('decline_reason', text)
      .addColumn('detail_json', text, (c) => c.notNull())
      .addColumn('last_seq', int, (c) => c.notNull())
      .addPrimaryKeyConstraint('transfers_pk', ['agency', 'case_id', 'transfer_no']),
  ).execute();
  await s.createIndex('transfers_uscc').ifNotExists().on('transfers').columns(['uscc']).execute();
  await s.createIndex('transfers_no').ifNotExists().on('transfers').columns(['transfer_no']).execute();

  await compact(
    s
      .createTable('complaints')
      .ifNotExists()
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('complaint_id', text, (c) => c.notNull())
      .addColumn('uscc', text, (c) => c.notNull())
      .addColumn('received_at', text, (c) => c.notNull())
      .addColumn('channel', text)
      .addColumn('summary', text, (c) => c.notNull())
      .addColumn('matter_codes_json', text, (c) => c.notNull())
      .addColumn('complainant_json', text)
      .addColumn('anonymous', int, (c) => c.notNull())
      .addColumn('last_seq', int, (c) => c.notNull())
      .addPrimaryKeyConstraint('complaints_pk', ['agency', 'complaint_id']),
  ).execute();
  await s.createIndex('complaints_uscc').ifNotExists().on('complaints').columns(['uscc']).execute();

  await s
    .createTable('corrections')
    .ifNotExists()
    .addColumn('event_id', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('target_event_id', text, (c) => c.notNull())
    .addColumn('agency', text, (c) => c.notNull())
    .addColumn('uscc', text, (c) => c.notNull())
    .addColumn('reason', text, (c) => c.notNull())
    .addColumn('recorded_at', text, (c) => c.notNull())
    .addColumn('seq', int, (c) => c.notNull())
    .execute();
  await s
    .createIndex('corrections_target')
    .ifNotExists()
    .on('corrections')
    .columns(['target_event_id'])
    .execute();

  await compact(
    s
      .createTable('agency_activity_daily')
      .ifNotExists()
      .addColumn('agency', text, (c) => c.notNull())
      .addColumn('day', text, (c) => c.notNull())
      .addColumn('event_type', text, (c) => c.notNull())
      .addColumn('count', int, (c) => c.notNull())
      .addPrimaryKeyConstraint('agency_activity_daily_pk', ['agency', 'day', 'event_type']),
  ).execute();

  await s
    .createTable('dead_letters')
    .ifNotExists()
    .addColumn('seq', seqKey, (c) => c.primaryKey())
    .addColumn('subject', text, (c) => c.notNull())
    .addColumn('reason', text, (c) => c.notNull())
    .addColumn('detail', text, (c) => c.notNull())
    .addColumn('event_id', text)
    .addColumn('uscc', text)
    .addColumn('agency', text)
    .addColumn('stream_time', text, (c) => c.notNull())
    .addColumn('retried', int, (c) => c.notNull())
    .execute();
  await s.createIndex('dead_letters_uscc').ifNotExists().on('dead_letters').columns(['uscc']).execute();

  await s
    .createTable('chain_links')
    .ifNotExists()
    .addColumn('seq', seqKey, (c) => c.primaryKey())
    .addColumn('prev_hash', text, (c) => c.notNull())
    .addColumn('event_hash', text, (c) => c.notNull())
    .addColumn('hash', text, (c) => c.notNull())
    .execute();

  await migrateAlerts(db);
  await migrateLegal(db);

  await db
    .insertInto('read_model_meta')
    .values({ key: 'schema_version', value: String(SCHEMA_VERSION) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(SCHEMA_VERSION) }))
    .execute();
}
