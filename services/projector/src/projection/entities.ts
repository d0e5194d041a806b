/**
 * Entity projections: inspections, penalty cases (+ steps), transfers to police, complaints.
 * Each reads the current row, folds one fact into it and writes it back, so the same code
 * serves the live path and the recomputation after a correction or retraction.
 */
import type { ReadModelStore, Row } from '@hub/read-model';
import type { EntityKey, Fact } from './facts.js';

const json = (v: unknown): string => JSON.stringify(v ?? []);
const jsonOrNull = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Applies the fact to the entity of `key`; true when it created the entity's row. */
export function applyToEntity(store: ReadModelStore, key: EntityKey, fact: Fact): boolean {
  switch (key.family) {
    case 'inspection':
      return applyInspection(store, key, fact);
    case 'penalty':
      return applyPenalty(store, key, fact);
    case 'transfer':
      return applyTransfer(store, key, fact);
    case 'complaint':
      return applyComplaint(store, key, fact);
  }
}

/** Deletes the entity's rows (before recomputing it from its facts). */
export function removeEntity(store: ReadModelStore, key: EntityKey & { agency: string }): void {
  switch (key.family) {
    case 'inspection':
      return store.remove('inspections', { agency: key.agency, inspection_id: key.ref });
    case 'penalty':
      store.removePenaltySteps(key.agency, key.ref);
      return store.remove('penalty_cases', { agency: key.agency, case_id: key.ref });
    case 'transfer':
      return store.remove('transfers', {
        agency: key.agency,
        case_id: key.ref,
        transfer_no: key.transferNo ?? '',
      });
    case 'complaint':
      return store.remove('complaints', { agency: key.agency, complaint_id: key.ref });
  }
}

function applyInspection(store: ReadModelStore, key: EntityKey, f: Fact): boolean {
  const agency = key.agency ?? f.agency;
  const old = store.get('inspections', { agency, inspection_id: key.ref });
  const row: Row<'inspections'> = old ?? {
    agency,
    inspection_id: key.ref,
    uscc: f.uscc,
    reason: null,
    status: 'planned',
    planned_for: null,
    started_at: null,
    completed_at: null,
    cancelled_at: null,
    result: null,
    matter_codes_json: '[]',
    officers_json: '[]',
    findings_json: '[]',
    joint_inspection_id: null,
    last_seq: f.seq,
  };
  const p = f.payload;
  const done = row.status === 'completed' || row.status === 'cancelled';
  switch (f.type) {
    case 'inspectionPlanned':
      row.reason = str(p.reason);
      row.planned_for = str(p.plannedFor);
      row.matter_codes_json = json(p.matterCodes);
      row.joint_inspection_id = str(p.jointInspectionId) ?? row.joint_inspection_id;
      break;
    case 'inspectionStarted':
      if (!done) row.status = 'started';
      row.started_at = f.occurredAt;
      row.officers_json = json(p.officers);
      break;
    case 'inspectionCompleted':
      row.status = 'completed';
      row.completed_at = f.occurredAt;
      row.started_at = str(p.startedAt) ?? row.started_at;
      row.reason = str(p.reason);
      row.result = str(p.result);
      row.matter_codes_json = json(p.matterCodes);
      row.findings_json = json(p.findings);
      row.officers_json = json(p.officers);
      row.joint_inspection_id = str(p.jointInspectionId) ?? row.joint_inspection_id;
      break;
    case 'inspectionCancelled':
      if (row.status !== 'completed') row.status = 'cancelled';
      row.cancelled_at = f.occurredAt;
      break;
  }
  row.uscc = f.uscc;
  row.last_seq = f.seq;
  store.put('inspections', row);
  return old === undefined;
}

function applyPenalty(store: ReadModelStore, key: EntityKey, f: Fact): boolean {
  const agency = key.agency ?? f.agency;
  const old = store.get('penalty_cases', { agency, case_id: key.ref });
  const row: Row<'penalty_cases'> = old ?? {
    agency,
    case_id: key.ref,
    uscc: f.uscc,
    stage: f.type,
    opened_at: null,
    decided_at: null,
    decision_no: null,
    violation_code: null,
    legal_basis_json: null,
    amount_fen: null,
    other_sanctions_json: null,
    major: 0,
    paid_fen: 0,
    served_at: null,
    published_at: null,
    revoked_at: null,
    transferred_at: null,
    matter_codes_json: null,
    party_person_json: null,
    last_seq: f.seq,
  };
  const p = f.payload;
  switch (f.type) {
    case 'penaltyCaseOpened':
      row.opened_at = f.occurredAt;
      row.matter_codes_json = json(p.matterCodes);
      row.party_person_json = jsonOrNull(p.partyPerson);
      break;
    case 'penaltyDecided':
      row.decided_at = f.occurredAt;
      row.decision_no = str(p.decisionNo);
      row.violation_code = str(p.violationCode);
      row.legal_basis_json = json(p.legalBasisArticles);
      row.amount_fen = num(p.amountFen);
      row.other_sanctions_json = json(p.otherSanctions);
      row.major = p.major === true ? 1 : 0;
      break;
    case 'decisionServed':
      row.served_at = f.occurredAt;
      break;
    case 'paymentReceived':
      row.paid_fen += num(p.amountFen);
      break;
    case 'decisionPublished':
      row.published_at = f.occurredAt;
      break;
    case 'decisionRevoked':
      row.revoked_at = f.occurredAt;
      break;
    case 'decisionChanged':
      if (typeof p.newAmountFen === 'number') row.amount_fen = p.newAmountFen;
      if (Array.isArray(p.otherSanctions) && p.otherSanctions.length > 0)
        row.other_sanctions_json = json(p.otherSanctions);
      break;
    case 'caseTransferredToPolice':
      row.transferred_at = f.occurredAt;
      break;
  }
  row.stage = f.type;
  row.uscc = f.uscc;
  row.last_seq = f.seq;
  store.put('penalty_cases', row);
  store.put('penalty_steps', {
    agency,
    case_id: key.ref,
    seq: f.seq,
    event_id: f.eventId,
    step: f.type,
    occurred_at: f.occurredAt,
    detail_json: JSON.stringify(p),
  });
  return old === undefined;
}

function applyTransfer(store: ReadModelStore, key: EntityKey, f: Fact): boolean {
  const p = f.payload;
  if (f.type === 'caseTransferredToPolice') {
    const agency = key.agency ?? f.agency;
    const old = store.get('transfers', { agency, case_id: key.ref, transfer_no: key.transferNo ?? '' });
    store.put('transfers', {
      agency,
      case_id: key.ref,
      transfer_no: key.transferNo ?? '',
      uscc: f.uscc,
      police_agency: str(p.policeAgency) ?? '',
      transferred_at: f.occurredAt,
      status: old?.status ?? 'transferred',
      decided_at: old?.decided_at ?? null,
      police_case_no: old?.police_case_no ?? null,
      decline_reason: old?.decline_reason ?? null,
      detail_json: JSON.stringify(p),
      last_seq: f.seq,
    });
    return old === undefined;
  }
  // A police decision about a transfer this read model does not know stays in the timeline only.
  const row = store.findTransfer(key.ref, key.transferNo ?? '', f.agency);
  if (!row || (key.agency !== undefined && row.agency !== key.agency)) return false;
  row.status = f.type === 'policeAcceptedTransfer' ? 'accepted' : 'declined';
  row.decided_at = f.occurredAt;
  row.police_case_no = str(p.policeCaseNo) ?? row.police_case_no;
  row.decline_reason = str(p.reason) ?? row.decline_reason;
  row.last_seq = f.seq;
  store.put('transfers', row);
  return false;
}

function applyComplaint(store: ReadModelStore, key: EntityKey, f: Fact): boolean {
  const agency = key.agency ?? f.agency;
  const old = store.get('complaints', { agency, complaint_id: key.ref });
  const p = f.payload;
  store.put('complaints', {
    agency,
    complaint_id: key.ref,
    uscc: f.uscc,
    received_at: f.occurredAt,
    channel: str(p.channel),
    summary: str(p.summary) ?? '',
    matter_codes_json: json(p.matterCodes),
    complainant_json: jsonOrNull(p.complainant),
    anonymous: p.anonymous === true ? 1 : 0,
    last_seq: f.seq,
  });
  return old === undefined;
}
