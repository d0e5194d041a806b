/**
 * The alert tables of the read model: `alerts`, one row per alert the coordination
 * rules raised, with its lifecycle, and `alert_agencies`, one row per agency concerned (for
 * filtering). Derived from the events alone, like every other table: a rebuild is identical.
 * Created by `migrateReadModel` (schema version 2); delivery bookkeeping lives elsewhere
 * (`alert-deliveries.sqlite`), because what was published is not a function of the events.
 */
import { sql, SqliteAdapter, type Kysely } from 'kysely';
import type { AlertKind, AlertStatus } from '@hub/domain';

export type { AlertStatus };
export type JointStatus = 'suggested' | 'proposed' | 'accepted' | 'declined';

export interface AlertsTable {
  alert_id: string;
  kind: AlertKind;
  uscc: string;
  status: AlertStatus;
  /** recordedAt of the event that raised it (never the wall clock). */
  raised_at: string;
  /** Stream sequence of that event: the delivery cursor. */
  raised_seq: number;
  raised_by_event_id: string;
  agencies_json: string;
  matter_codes_json: string;
  /** `{summary, causedBy, details}` as the rules gave them (details include any proposal). */
  detail_json: string;
  acknowledged_by: string | null;
  acknowledged_agency: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_agency: string | null;
  resolved_reason: string | null;
  resolved_at: string | null;
  withdrawn_reason: string | null;
  withdrawn_by_event_id: string | null;
  withdrawn_at: string | null;
  /** The proposed joint inspection (plan_overlap) and what became of it. */
  joint_inspection_id: string | null;
  joint_status: JointStatus | null;
  /** `{proposedEventId?, acceptedBy: [...], declined: [{agency, reason, eventId}]}`. */
  joint_json: string | null;
  last_seq: number;
}

export interface AlertAgenciesTable {
  alert_id: string;
  agency: string;
  /** Copied from the alert so an agency's list is one index range. */
  raised_at: string;
}

/** Creates the alert tables and indexes when missing (safe at every open). */
export async function migrateAlerts<DB>(db: Kysely<DB>): Promise<void> {
  const s = db.schema;
  const text = 'text' as const;
  const int = 'bigint' as const;
  // On SQLite the composite-key agency table is one b-tree (WITHOUT ROWID), as in schema.ts.
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await s
    .createTable('alerts')
    .ifNotExists()
    .addColumn('alert_id', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('uscc', text, (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('raised_at', text, (c) => c.notNull())
    .addColumn('raised_seq', int, (c) => c.notNull())
    .addColumn('raised_by_event_id', text, (c) => c.notNull())
    .addColumn('agencies_json', text, (c) => c.notNull())
    .addColumn('matter_codes_json', text, (c) => c.notNull())
    .addColumn('detail_json', text, (c) => c.notNull())
    .addColumn('acknowledged_by', text)
    .addColumn('acknowledged_agency', text)
    .addColumn('acknowledged_at', text)
    .addColumn('resolved_by', text)
    .addColumn('resolved_agency', text)
    .addColumn('resolved_reason', text)
    .addColumn('resolved_at', text)
    .addColumn('withdrawn_reason', text)
    .addColumn('withdrawn_by_event_id', text)
    .addColumn('withdrawn_at', text)
    .addColumn('joint_inspection_id', text)
    .addColumn('joint_status', text)
    .addColumn('joint_json', text)
    .addColumn('last_seq', int, (c) => c.notNull())
    .execute();
  await s
    .createIndex('alerts_raised')
    .ifNotExists()
    .on('alerts')
    .columns(['raised_at', 'alert_id'])
    .execute();
  await s.createIndex('alerts_uscc').ifNotExists().on('alerts').columns(['uscc', 'raised_at']).execute();
  await s.createIndex('alerts_seq').ifNotExists().on('alerts').columns(['raised_seq']).execute();
  // Only plan_overlap alerts carry a joint inspection: the others add no index entry.
  await s
    .createIndex('alerts_joint')
    .ifNotExists()
    .on('alerts')
    .columns(['joint_inspection_id'])
    .where(sql.ref('joint_inspection_id'), 'is not', null)
    .execute();
  await s
    .createTable('alert_agencies')
    .ifNotExists()
    .addColumn('alert_id', text, (c) => c.notNull())
    .addColumn('agency', text, (c) => c.notNull())
    .addColumn('raised_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_agencies_pk', ['alert_id', 'agency'])
    .$call((t) => (sqlite ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await s
    .createIndex('alert_agencies_agency')
    .ifNotExists()
    .on('alert_agencies')
    .columns(['agency', 'raised_at', 'alert_id'])
    .execute();
}
