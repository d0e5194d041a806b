/**
 * The legal rules in the projector: one `LawState` per read model file, evolved with every
 * applied event (clock ticks included) in the batch's transaction. What they raise or withdraw
 * goes through the alert writer (same tables, same exactly-once delivery); the clocks of the
 * cases and transfers an event touched are upserted into `legal_clocks`. Values come from the
 * events only, so a rebuild or a replay to the same position gives the same rows.
 *
 * The state is rebuilt with the coordination state when the file is opened: restored from the
 * snapshot stored with the coordination state, then `fold` over the timeline after it (or over
 * the whole timeline without one), ignoring what it raises: those rows are stored already.
 */
import {
  DEFAULT_LAW_SETTINGS,
  evolveLaw,
  initialLawState,
  restoreLawState,
  serializeLawState,
  type ClockView,
  type HubEvent,
  type LawResult,
  type LawSettings,
  type LawState,
} from '@hub/domain';
import { NODE_PORTS } from '@hub/platform';
import type { SqliteDb } from '@hub/read-model';
import type { AlertWriter } from '../alerts/writer.js';

export interface LawProjection {
  reset(): void;
  /** The state as JSON, for the snapshot. */
  snapshot(): unknown;
  /** Replaces the state with a snapshot's; false (state reset) when it cannot be read. */
  restore(json: unknown): boolean;
  /** Evolves the state only (rebuilding it from the timeline). */
  fold(event: HubEvent): void;
  /** Evolves the state and writes alerts, withdrawals and clocks, inside the caller's transaction. */
  apply(event: HubEvent, seqOf: () => number, writer: AlertWriter): void;
  state(): LawState;
}

const EMPTY: LawResult = { alerts: [], withdrawn: [], clocks: [] };

export function createLawProjection(opts: {
  sqlite: SqliteDb;
  settings?: LawSettings | undefined;
  log: { error(obj: object, msg: string): void };
}): LawProjection {
  const settings = opts.settings ?? DEFAULT_LAW_SETTINGS;
  const upsert = opts.sqlite.prepare(
    `INSERT INTO legal_clocks (clock_id, kind, uscc, agency, case_id, transfer_no, rule, article,
       started_at, started_by_event_id, due_day, due_at, met_at, status, calendar_version,
       fallback_years_json, last_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (clock_id) DO UPDATE SET agency = excluded.agency, started_at = excluded.started_at,
       started_by_event_id = excluded.started_by_event_id, due_day = excluded.due_day,
       due_at = excluded.due_at, met_at = excluded.met_at, status = excluded.status,
       calendar_version = excluded.calendar_version, fallback_years_json = excluded.fallback_years_json,
       last_seq = excluded.last_seq`,
  );
  const writeClock = (c: ClockView, seq: number) =>
    upsert.run(
      c.clockId,
      c.kind,
      c.uscc,
      c.agency,
      c.caseId,
      c.transferNo ?? '',
      c.rule,
      c.article,
      c.startedAt,
      c.startedByEventId,
      c.dueDay,
      c.dueAt,
      c.metAt ?? null,
      c.status,
      c.calendarVersion ?? null,
      JSON.stringify(c.fallbackYears),
      seq,
    );
  let state = initialLawState();
  // A rule that throws is a bug in the rules: skip the event (deterministically), keep going.
  const evolve = (event: HubEvent): LawResult => {
    try {
      return evolveLaw(state, event, settings, NODE_PORTS);
    } catch (err) {
      opts.log.error(
        { err, eventId: event.eventId },
        '法治规则出错，跳过该事件 (legal rules failed on an event)',
      );
      return EMPTY;
    }
  };
  return {
    reset: () => void (state = initialLawState()),
    snapshot: () => serializeLawState(state),
    restore(json) {
      try {
        state = restoreLawState(json);
        return true;
      } catch {
        state = initialLawState();
        return false;
      }
    },
    fold: (event) => void evolve(event),
    apply(event, seqOf, writer) {
      const r = evolve(event);
      if (r.alerts.length === 0 && r.withdrawn.length === 0 && r.clocks.length === 0) return;
      const seq = seqOf();
      r.alerts.forEach((a) => writer.raise(a, seq));
      r.withdrawn.forEach((w) => writer.withdraw(w, event, seq));
      r.clocks.forEach((c) => writeClock(c, seq));
    },
    state: () => state,
  };
}
