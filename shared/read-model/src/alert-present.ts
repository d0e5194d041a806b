/**
 * An alert row as the outside world sees it: the body of an `enf.alert.*` message and of
 * `GET /v1/alerts/{id}` (the query API presents the same shape).
 */
import type { AlertKind, AlertStatus } from '@hub/domain';
import type { AlertsTable } from './alerts-schema.js';

export interface AlertView {
  alertId: string;
  kind: AlertKind;
  uscc: string;
  status: AlertStatus;
  raisedAt: string;
  raisedSeq: number;
  raisedByEventId: string;
  agencies: string[];
  matterCodes: string[];
  summary: { zh: string; en: string };
  causedBy: string[];
  details: unknown;
  acknowledged: { by: string | null; agency: string | null; at: string } | null;
  resolved: { by: string | null; agency: string | null; reason: string | null; at: string } | null;
  withdrawn: { reason: string | null; byEventId: string | null; at: string } | null;
  jointInspection: { id: string; status: string | null; [k: string]: unknown } | null;
}

export function presentAlertRow(r: AlertsTable): AlertView {
  const d = JSON.parse(r.detail_json) as {
    summary: AlertView['summary'];
    causedBy: string[];
    details: unknown;
  };
  return {
    alertId: r.alert_id,
    kind: r.kind,
    uscc: r.uscc,
    status: r.status,
    raisedAt: r.raised_at,
    raisedSeq: Number(r.raised_seq),
    raisedByEventId: r.raised_by_event_id,
    agencies: JSON.parse(r.agencies_json) as string[],
    matterCodes: JSON.parse(r.matter_codes_json) as string[],
    summary: d.summary,
    causedBy: d.causedBy,
    details: d.details,
    acknowledged: r.acknowledged_at
      ? { by: r.acknowledged_by, agency: r.acknowledged_agency, at: r.acknowledged_at }
      : null,
    resolved: r.resolved_at
      ? { by: r.resolved_by, agency: r.resolved_agency, reason: r.resolved_reason, at: r.resolved_at }
      : null,
    withdrawn: r.withdrawn_at
      ? { reason: r.withdrawn_reason, byEventId: r.withdrawn_by_event_id, at: r.withdrawn_at }
      : null,
    jointInspection: r.joint_inspection_id
      ? {
          id: r.joint_inspection_id,
          status: r.joint_status,
          ...(r.joint_json ? (JSON.parse(r.joint_json) as Record<string, unknown>) : {}),
        }
      : null,
  };
}
