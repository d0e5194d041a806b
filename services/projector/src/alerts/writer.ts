/**
 * Writes what the rules and the lifecycle events say about alerts into the read model, inside
 * the caller's transaction. Every value comes from the events (recordedAt, never a clock).
 *
 * Lifecycle: open → acknowledged → resolved (agency events `alertAcknowledged`,
 * `alertResolved`); `withdrawn` when the rules withdraw it (a resolved alert stays resolved,
 * with the withdrawal noted). The first acknowledgement and the first resolution win; events
 * naming an alert this file does not hold change nothing. The joint-inspection proposal of a
 * `plan_overlap` alert follows `jointInspectionProposed/Accepted/Declined`.
 */
import type { AlertRaised, AlertWithdrawn, HubEvent } from '@hub/domain';
import type { SqliteDb, AlertsTable } from '@hub/read-model';

export const LIFECYCLE: ReadonlySet<string> = new Set([
  'alertAcknowledged',
  'alertResolved',
  'jointInspectionProposed',
  'jointInspectionAccepted',
  'jointInspectionDeclined',
]);

export interface AlertWriter {
  raise(alert: AlertRaised, seq: number): void;
  withdraw(w: AlertWithdrawn, by: HubEvent, seq: number): void;
  lifecycle(event: HubEvent, seq: number): void;
}

interface JointJson {
  proposedEventId?: string;
  proposedBy?: string;
  acceptedBy: string[];
  declined: { agency: string; reason: string; eventId: string }[];
}

/** Matter codes an alert is about, sorted and unique (for the `matter_codes_json` column). */
export function matterCodesOf(a: AlertRaised): string[] {
  const codes = new Set<string>();
  const add = (xs: readonly string[] | undefined) => xs?.forEach((c) => codes.add(c));
  switch (a.kind) {
    case 'duplicate_inspection':
      a.details.inspections.forEach((i) => add(i.matterCodes));
      break;
    case 'plan_overlap':
      add(a.details.proposal.matterCodes);
      add(a.details.plan.matterCodes);
      a.details.conflicts.forEach((i) => add(i.matterCodes));
      break;
    case 'inspection_burden':
      a.details.inspections.forEach((i) => add(i.matterCodes));
      break;
    case 'quiet_period':
      add(a.details.inspection.matterCodes);
      break;
    case 'repeat_penalty':
      break;
  }
  return [...codes].sort();
}

export function createAlertWriter(sqlite: SqliteDb): AlertWriter {
  // Positional parameters: cheaper to bind than named ones, once per raised alert.
  const insert = sqlite.prepare(
    `INSERT INTO alerts (alert_id, kind, uscc, status, raised_at, raised_seq, raised_by_event_id,
       agencies_json, matter_codes_json, detail_json, joint_inspection_id, joint_status, last_seq)
     VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (alert_id) DO NOTHING`,
  );
  const insertAgency = sqlite.prepare(
    `INSERT INTO alert_agencies (alert_id, agency, raised_at) VALUES (?, ?, ?)
     ON CONFLICT (alert_id, agency) DO NOTHING`,
  );
  const get = sqlite.prepare('SELECT * FROM alerts WHERE alert_id = ?');
  const byJoint = sqlite.prepare(
    'SELECT * FROM alerts WHERE joint_inspection_id = ? ORDER BY alert_id LIMIT 1',
  );
  const update = (cols: string[]) =>
    sqlite.prepare(
      `UPDATE alerts SET ${[...cols, 'last_seq'].map((c) => `${c} = @${c}`).join(', ')} WHERE alert_id = @alert_id`,
    );
  const setAck = update(['status', 'acknowledged_by', 'acknowledged_agency', 'acknowledged_at']);
  const setResolved = update(['status', 'resolved_by', 'resolved_agency', 'resolved_reason', 'resolved_at']);
  const setWithdrawn = update(['status', 'withdrawn_reason', 'withdrawn_by_event_id', 'withdrawn_at']);
  const setJoint = update(['joint_inspection_id', 'joint_status', 'joint_json']);

  const row = (id: string) => get.get(id) as AlertsTable | undefined;
  const jointOf = (r: AlertsTable): JointJson =>
    r.joint_json ? (JSON.parse(r.joint_json) as JointJson) : { acceptedBy: [], declined: [] };
  const agenciesOf = (r: AlertsTable) => JSON.parse(r.agencies_json) as string[];

  return {
    raise(a, seq) {
      const jointId = a.kind === 'plan_overlap' ? a.details.proposal.jointInspectionId : null;
      const info = insert.run(
        a.alertId,
        a.kind,
        a.uscc,
        a.raisedAt,
        seq,
        a.raisedByEventId,
        JSON.stringify(a.agencies),
        JSON.stringify(matterCodesOf(a)),
        JSON.stringify({ summary: a.summary, causedBy: a.causedBy, details: a.details }),
        jointId,
        jointId ? 'suggested' : null,
        seq,
      );
      if (info.changes === 0) return;
      for (const agency of a.agencies) insertAgency.run(a.alertId, agency, a.raisedAt);
    },
    withdraw(w, by, seq) {
      const r = row(w.alertId);
      if (!r || r.withdrawn_at !== null) return;
      setWithdrawn.run({
        alert_id: w.alertId,
        status: r.status === 'resolved' ? 'resolved' : 'withdrawn',
        withdrawn_reason: w.reason,
        withdrawn_by_event_id: w.byEventId,
        withdrawn_at: by.recordedAt,
        last_seq: seq,
      });
    },
    lifecycle(e, seq) {
      const p = e.payload as unknown as Record<string, unknown>;
      const str = (k: string) => (typeof p[k] === 'string' ? p[k] : '');
      if (e.type === 'alertAcknowledged' || e.type === 'alertResolved') {
        const r = row(str('alertId'));
        if (!r) return;
        if (e.type === 'alertAcknowledged' && r.status === 'open') {
          setAck.run({
            alert_id: r.alert_id,
            status: 'acknowledged',
            acknowledged_by: str('by') || null,
            acknowledged_agency: e.agency,
            acknowledged_at: e.recordedAt,
            last_seq: seq,
          });
        } else if (e.type === 'alertResolved' && (r.status === 'open' || r.status === 'acknowledged')) {
          setResolved.run({
            alert_id: r.alert_id,
            status: 'resolved',
            resolved_by: str('by') || null,
            resolved_agency: e.agency,
            resolved_reason: str('reason') || null,
            resolved_at: e.recordedAt,
            last_seq: seq,
          });
        }
        return;
      }
      const jointId = str('jointInspectionId');
      const r =
        (e.type === 'jointInspectionProposed' && str('alertId') ? row(str('alertId')) : undefined) ??
        (byJoint.get(jointId) as AlertsTable | undefined);
      if (!r) return;
      const j = jointOf(r);
      let status = r.joint_status ?? 'proposed';
      if (e.type === 'jointInspectionProposed') {
        j.proposedEventId = e.eventId;
        j.proposedBy = e.agency;
        status = 'proposed';
      } else if (e.type === 'jointInspectionAccepted') {
        if (!j.acceptedBy.includes(e.agency)) j.acceptedBy = [...j.acceptedBy, e.agency].sort();
        const agreed = new Set([...j.acceptedBy, ...(j.proposedBy ? [j.proposedBy] : [])]);
        if (status !== 'declined' && agenciesOf(r).every((a) => agreed.has(a))) status = 'accepted';
      } else {
        j.declined = [...j.declined, { agency: e.agency, reason: str('reason'), eventId: e.eventId }];
        status = 'declined';
      }
      setJoint.run({
        alert_id: r.alert_id,
        joint_inspection_id: jointId || r.joint_inspection_id,
        joint_status: status,
        joint_json: JSON.stringify(j),
        last_seq: seq,
      });
    },
  };
}
