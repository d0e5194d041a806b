/**
 * Alerts in the read model, derived in the batch's own transaction. The coordination state
 * lives in memory, one per read model file; it is rebuilt when the file is opened by folding
 * the file's own timeline (up to its position) through the rules, ignoring what they raise
 * (those alerts are stored already). Chosen over a snapshot: nothing extra to keep in step,
 * and ~30 000 events/s makes a county's year a few seconds.
 *
 * If a batch's transaction rolls back after the rules saw its events, the state is ahead of
 * the file; the next call notices (the position differs from the one the state is at) and
 * folds the timeline again before going on.
 */
import {
  RETROSPECTIVE_HISTORY_TYPES,
  evolveCoordination,
  retrospectiveAlerts,
  retrospectiveSubjectOf,
  initialCoordinationState,
  restoreCoordinationState,
  serializeCoordinationState,
  type AlertRaised,
  type AlertWithdrawn,
  type CoordinationSettings,
  type CoordinationState,
  type HubEvent,
  type RetrospectiveSubject,
} from '@hub/domain';
import { NODE_PORTS, type Logger } from '@hub/platform';
import { type ReadModelStore, type SqliteDb, eventOfTimelineRow, timelineEvents } from '@hub/read-model';
import { createAlertWriter, LIFECYCLE, type AlertWriter } from './writer.js';
import { createLawProjection } from '../law/projection.js';

export interface AlertProjection {
  /** Called inside the batch transaction, after the batch's events are applied, before the position. */
  apply(events: readonly HubEvent[], position: number, lastSeq: number): void;
  state(): CoordinationState;
  /** Stores the coordination state as of `position` (clean stop): the next open folds nothing through those rules. */
  saveSnapshot(position: number): void;
}

/** A snapshot of the rules' state is stored at most this often while catching up (in events). */
export const SNAPSHOT_EVERY = 100_000;
const SNAPSHOT_KEY = 'coordination_snapshot';

export function createAlertProjection(opts: {
  sqlite: SqliteDb;
  /** The read model port: a retrospective check reads the business's history through it. */
  store: Pick<ReadModelStore, 'businessEventsBefore'>;
  settings: CoordinationSettings;
  position: number;
  log: Logger;
}): AlertProjection {
  const { sqlite, settings } = opts;
  const writer: AlertWriter = createAlertWriter(sqlite);
  const seqOfEvent = {
    stmt: sqlite.prepare('SELECT seq FROM timeline WHERE event_id = ?'),
    get(id: string) {
      return this.stmt.get(id) as { seq: number } | undefined;
    },
  };
  let state = initialCoordinationState();
  let stateSeq = -1;
  // The snapshot lives in read_model_meta (not part of any digest), written in the batch's own
  // transaction or at a clean stop, so it always matches the position it names. Settings shape
  // the state: a snapshot taken under other settings is ignored.
  const settingsKey = JSON.stringify(settings);
  const getMeta = sqlite.prepare('SELECT value FROM read_model_meta WHERE key = ?').pluck();
  const putMeta = sqlite.prepare(
    'INSERT INTO read_model_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  let snapshotSeq = 0;
  const writeSnapshot = (seq: number) => {
    const json = JSON.stringify({ seq, settings: settingsKey, state: serializeCoordinationState(state) });
    putMeta.run(SNAPSHOT_KEY, json);
    snapshotSeq = seq;
  };
  const readSnapshot = (position: number): { seq: number; state: CoordinationState } | undefined => {
    const text = getMeta.get(SNAPSHOT_KEY) as string | undefined;
    if (text === undefined) return undefined;
    try {
      const s = JSON.parse(text) as { seq: number; settings: string; state: unknown };
      if (s.settings !== settingsKey || s.seq > position) return undefined;
      return { seq: s.seq, state: restoreCoordinationState(s.state) };
    } catch {
      return undefined; // unreadable: fold the whole timeline, as without one
    }
  };
  // The legal rules (procedure, limitation, 两法衔接 clocks) ride on the same fold and writer.
  const law = createLawProjection({ sqlite, log: opts.log });

  const empty = { alerts: [] as AlertRaised[], withdrawn: [] as AlertWithdrawn[] };
  // A rule that throws is a bug in the rules, not in the event: it must not stop the projector.
  // Skipping is deterministic (the same event throws in a rebuild too), so alerts stay reproducible.
  const evolve = (event: HubEvent) => {
    try {
      return evolveCoordination(state, event, settings, NODE_PORTS);
    } catch (err) {
      opts.log.error(
        { err, eventId: event.eventId },
        '协同规则出错，跳过该事件 (coordination rules failed on an event)',
      );
      return empty;
    }
  };
  const reload = (position: number) => {
    const started = Date.now();
    const snapshot = readSnapshot(position);
    state = snapshot?.state ?? initialCoordinationState();
    const from = snapshot?.seq ?? 0;
    snapshotSeq = from;
    // The legal rules' state is not in the snapshot: it is folded over the whole timeline.
    law.reset();
    for (const event of timelineEvents(sqlite, position, 'AND seq <= ?', [from])) law.fold(event);
    let n = 0;
    for (const event of timelineEvents(sqlite, position, 'AND seq > ?', [from])) {
      evolve(event);
      law.fold(event);
      n += 1;
    }
    stateSeq = position;
    opts.log.info(
      { snapshotSeq: from, events: n, position, ms: Date.now() - started },
      'coordination state rebuilt (snapshot + timeline after it)',
    );
  };
  /**
   * 追溯核查: an event the bounded state can no longer check in full (docs/coordination-rules.md
   * §4) is checked against the business's history read from the timeline, strictly before the
   * event's own sequence: the stream prefix, whatever later events of the same batch have
   * written since, so catch-up, replay, rebuild and live find the same alerts. What it finds
   * replaces the state's (partial) alerts of that rule for the event.
   */
  const retrospective = (
    event: HubEvent,
    subject: RetrospectiveSubject,
    alerts: AlertRaised[],
    seqOf: () => number,
  ): AlertRaised[] => {
    try {
      const history = opts.store
        .businessEventsBefore(subject.uscc, seqOf(), RETROSPECTIVE_HISTORY_TYPES)
        .map(eventOfTimelineRow);
      const found = retrospectiveAlerts(
        subject,
        history,
        event,
        state.catalogueVersion,
        settings,
        NODE_PORTS,
      );
      return [...alerts.filter((a) => a.kind !== subject.kind), ...found];
    } catch (err) {
      opts.log.error(
        { err, eventId: event.eventId },
        '追溯核查出错，跳过 (retrospective check failed on an event)',
      );
      return alerts;
    }
  };

  reload(opts.position);

  return {
    apply(events, position, lastSeq) {
      if (stateSeq !== position) reload(position);
      for (const event of events) {
        // The stream sequence is looked up only when something is written or read (rarely).
        let seq: number | undefined;
        const seqOf = () => (seq ??= seqOfEvent.get(event.eventId)?.seq ?? lastSeq);
        // Asked before the event moves the state (a late event does not move the watermark).
        const subject = retrospectiveSubjectOf(state, event, settings);
        const r = evolve(event);
        const raised = subject === undefined ? r.alerts : retrospective(event, subject, r.alerts, seqOf);
        raised.forEach((a: AlertRaised) => writer.raise(a, seqOf()));
        r.withdrawn.forEach((w: AlertWithdrawn) => writer.withdraw(w, event, seqOf()));
        if (LIFECYCLE.has(event.type)) writer.lifecycle(event, seqOf());
        law.apply(event, seqOf, writer);
      }
      stateSeq = Math.max(lastSeq, position);
      if (stateSeq - snapshotSeq >= SNAPSHOT_EVERY) writeSnapshot(stateSeq);
    },
    state: () => state,
    saveSnapshot(position) {
      if (stateSeq === position && position > snapshotSeq) writeSnapshot(position);
    },
  };
}
