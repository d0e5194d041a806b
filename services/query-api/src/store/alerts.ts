/**
 * Alerts from the read model's `alerts` / `alert_agencies` tables, newest first with
 * keyset pagination, and a business's coordination state folded from its own timeline (for
 * the pre-visit check and the profile's inspection burden).
 */
import { sql, type Kysely } from 'kysely';
import {
  DEFAULT_COORDINATION_SETTINGS,
  evolveCoordination,
  inspectionBurden,
  initialCoordinationState,
  quietPeriodAt,
  type QuietPeriodFigure,
  type CoordinationSettings,
  type AlertKind,
  type AlertStatus,
  type CoordinationState,
} from '@hub/domain';
import { NODE_PORTS } from '@hub/platform';
import { eventOfTimelineRow, presentAlertRow, type AlertView, type ReadModelDatabase } from '@hub/read-model';

export type AlertKey = readonly [string, string];

export interface AlertFilters {
  kinds?: readonly AlertKind[] | undefined;
  statuses?: readonly AlertStatus[] | undefined;
  /** Alerts concerning any of these agencies (the `agency` filter). */
  agencies?: readonly string[] | undefined;
  /** Role limit: alerts concerning any of these agencies. */
  concerning?: readonly string[] | undefined;
  uscc?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  after?: AlertKey | undefined;
  limit: number;
}

export async function listAlerts(
  db: Kysely<ReadModelDatabase>,
  f: AlertFilters,
): Promise<{ alerts: AlertView[]; next: AlertKey | undefined }> {
  let q = db.selectFrom('alerts as a').selectAll('a');
  const involving = (agencies: readonly string[]) =>
    q.where('a.alert_id', 'in', (eb) =>
      eb.selectFrom('alert_agencies').select('alert_id').where('agency', 'in', agencies),
    );
  if (f.agencies?.length) q = involving(f.agencies);
  if (f.concerning) q = f.concerning.length ? involving(f.concerning) : q.where(sql<boolean>`1 = 0`);
  if (f.kinds?.length) q = q.where('a.kind', 'in', f.kinds);
  if (f.statuses?.length) q = q.where('a.status', 'in', f.statuses);
  if (f.uscc !== undefined) q = q.where('a.uscc', '=', f.uscc);
  if (f.from !== undefined) q = q.where('a.raised_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('a.raised_at', '<=', f.to);
  if (f.after) q = q.where(sql<boolean>`(a.raised_at, a.alert_id) < (${f.after[0]}, ${f.after[1]})`);
  const rows = await q
    .orderBy('a.raised_at', 'desc')
    .orderBy('a.alert_id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    alerts: page.map(presentAlertRow),
    next: rows.length > f.limit && last ? [last.raised_at, last.alert_id] : undefined,
  };
}

export async function getAlert(
  db: Kysely<ReadModelDatabase>,
  alertId: string,
): Promise<AlertView | undefined> {
  const row = await db.selectFrom('alerts').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
  return row ? presentAlertRow(row) : undefined;
}

/**
 * The coordination rules' view of one business: its timeline folded in stream order. The rules
 * are per business, so this answers as the projector's state would (catalogue versions
 * published under another business's code are not seen; there is one version so far).
 */
export async function businessCoordinationState(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
  settings: CoordinationSettings,
): Promise<CoordinationState> {
  // Folding a long history through the rules is costly (seconds for a business with a thousand
  // dense events), and a business's timeline only grows: the fold is kept per business and
  // reused while its last stream sequence is unchanged. Readers do not mutate the state.
  const cacheable = settings === DEFAULT_COORDINATION_SETTINGS;
  const last = cacheable
    ? await db
        .selectFrom('timeline')
        .select(({ fn }) => fn.max('seq').as('seq'))
        .where('uscc', '=', uscc)
        .executeTakeFirst()
    : undefined;
  const lastSeq = Number(last?.seq ?? 0);
  let folds = FOLDS.get(db);
  if (!folds) FOLDS.set(db, (folds = new Map<string, Fold>()));
  const hit = cacheable ? folds.get(uscc) : undefined;
  if (hit && hit.seq === lastSeq) {
    folds.delete(uscc);
    folds.set(uscc, hit);
    return hit.state;
  }
  const rows = await db.selectFrom('timeline').selectAll().where('uscc', '=', uscc).orderBy('seq').execute();
  const state = initialCoordinationState();
  for (const r of rows) evolveCoordination(state, eventOfTimelineRow(r), settings, NODE_PORTS);
  const seq = rows.at(-1)?.seq;
  if (cacheable && seq !== undefined) {
    folds.set(uscc, { seq: Number(seq), state });
    if (folds.size > FOLD_CACHE_SIZE) folds.delete(folds.keys().next().value as string);
  }
  return state;
}

/** Folded coordination states per read model (connection) and business, least recently used first. */
interface Fold {
  seq: number;
  state: CoordinationState;
}
const FOLDS = new WeakMap<object, Map<string, Fold>>();
const FOLD_CACHE_SIZE = 256;

/**
 * For the profile: this period's inspection burden (at `at`) with the limit of routine visits,
 * the quiet period after a joint inspection in force at `at`, and the business's alert counts.
 */
export async function coordinationOfBusiness(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
  at: string,
): Promise<{
  inspectionBurden: ReturnType<typeof inspectionBurden> & { limit: number };
  quietPeriod: QuietPeriodFigure | null;
  alerts: { unresolved: number; total: number };
}> {
  const settings = DEFAULT_COORDINATION_SETTINGS;
  const state = await businessCoordinationState(db, uscc, settings);
  const counts = await db
    .selectFrom('alerts')
    .select(({ fn }) => ['status', fn.countAll<number>().as('n')])
    .where('uscc', '=', uscc)
    .groupBy('status')
    .execute();
  const n = (pred: (s: string) => boolean) =>
    counts.filter((c) => pred(c.status)).reduce((a, c) => a + Number(c.n), 0);
  return {
    inspectionBurden: {
      ...inspectionBurden(state, uscc, at, settings),
      limit: settings.burdenMaxRoutineVisits,
    },
    quietPeriod: quietPeriodAt(state, uscc, at, settings) ?? null,
    alerts: { unresolved: n((s) => s === 'open' || s === 'acknowledged'), total: n(() => true) },
  };
}
