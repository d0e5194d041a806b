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
  evolveCoordination,
  initialCoordinationState,
  type AlertRaised,
  type AlertWithdrawn,
  type CoordinationSettings,
  type CoordinationState,
  type HubEvent,
} from '@hub/domain';
import { type Logger } from '@hub/platform';
import { type SqliteDb, timelineEvents } from '@hub/read-model';
import { createAlertWriter, LIFECYCLE, type AlertWriter } from './writer.js';
import { createLawProjection } from '../law/projection.js';

export interface AlertProjection {
  /** Called inside the batch transaction, after the batch's events are applied, before the position. */
  apply(events: readonly HubEvent[], position: number, lastSeq: number): void;
  state(): CoordinationState;
}

export function createAlertProjection(opts: {
  sqlite: SqliteDb;
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
  // The legal rules (procedure, limitation, 两法衔接 clocks) ride on the same fold and writer.
  const law = createLawProjection({ sqlite, log: opts.log });

  const empty = { alerts: [] as AlertRaised[], withdrawn: [] as AlertWithdrawn[] };
  // A rule that throws is a bug in the rules, not in the event: it must not stop the projector.
  // Skipping is deterministic (the same event throws in a rebuild too), so alerts stay reproducible.
  const evolve = (event: HubEvent) => {
    try {
      return evolveCoordination(state, event, settings);
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
    state = initialCoordinationState();
    law.reset();
    let n = 0;
    for (const event of timelineEvents(sqlite, position)) {
      evolve(event);
      law.fold(event);
      n += 1;
    }
    stateSeq = position;
    opts.log.info(
      { events: n, position, ms: Date.now() - started },
      'coordination state rebuilt from the timeline',
    );
  };
  reload(opts.position);

  return {
    apply(events, position, lastSeq) {
      if (stateSeq !== position) reload(position);
      for (const event of events) {
        const r = evolve(event);
        // The stream sequence is looked up only when something is written (rarely).
        let seq: number | undefined;
        const seqOf = () => (seq ??= seqOfEvent.get(event.eventId)?.seq ?? lastSeq);
        r.alerts.forEach((a: AlertRaised) => writer.raise(a, seqOf()));
        r.withdrawn.forEach((w: AlertWithdrawn) => writer.withdraw(w, event, seqOf()));
        if (LIFECYCLE.has(event.type)) writer.lifecycle(event, seqOf());
        law.apply(event, seqOf, writer);
      }
      stateSeq = Math.max(lastSeq, position);
    },
    state: () => state,
  };
}
