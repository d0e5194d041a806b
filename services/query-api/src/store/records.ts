/**
 * Read-model rows as API records: inspections, penalty cases, transfers and complaints. JSON
 * columns are parsed here; personal data stays in place and is masked by the HTTP layer, which
 * knows who is asking.
 */
import type { ComplaintsTable, InspectionsTable, PenaltyCasesTable, TransfersTable } from '@hub/read-model';

const json = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

export interface InspectionRecord {
  agency: string;
  inspectionId: string;
  uscc: string;
  reason: string | null;
  status: string;
  plannedFor: string | null;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  result: string | null;
  matterCodes: string[];
  jointInspectionId: string | null;
}

export const toInspection = (r: InspectionsTable): InspectionRecord => ({
  agency: r.agency,
  inspectionId: r.inspection_id,
  uscc: r.uscc,
  reason: r.reason,
  status: r.status,
  plannedFor: r.planned_for,
  startedAt: r.started_at,
  completedAt: r.completed_at,
  cancelledAt: r.cancelled_at,
  result: r.result,
  matterCodes: json<string[]>(r.matter_codes_json) ?? [],
  jointInspectionId: r.joint_inspection_id,
});

export interface PersonData {
  name?: string;
  idNumber?: string;
  phone?: string;
}

export interface PenaltyCaseRecord {
  agency: string;
  caseId: string;
  uscc: string;
  stage: string;
  openedAt: string | null;
  decidedAt: string | null;
  decisionNo: string | null;
  violationCode: string | null;
  legalBasisArticles: string[];
  amountFen: number | null;
  otherSanctions: string[];
  major: boolean;
  paidFen: number;
  servedAt: string | null;
  publishedAt: string | null;
  revokedAt: string | null;
  transferredAt: string | null;
  matterCodes: string[];
  /** 当事人为自然人时 (a natural person as party): personal data, masked for most readers. */
  partyPerson: PersonData | null;
}

export const toPenaltyCase = (r: PenaltyCasesTable): PenaltyCaseRecord => ({
  agency: r.agency,
  caseId: r.case_id,
  uscc: r.uscc,
  stage: r.stage,
  openedAt: r.opened_at,
  decidedAt: r.decided_at,
  decisionNo: r.decision_no,
  violationCode: r.violation_code,
  legalBasisArticles: json<string[]>(r.legal_basis_json) ?? [],
  amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
  otherSanctions: json<string[]>(r.other_sanctions_json) ?? [],
  major: Number(r.major) !== 0,
  paidFen: Number(r.paid_fen),
  servedAt: r.served_at,
  publishedAt: r.published_at,
  revokedAt: r.revoked_at,
  transferredAt: r.transferred_at,
  matterCodes: json<string[]>(r.matter_codes_json) ?? [],
  partyPerson: json<PersonData>(r.party_person_json),
});

export interface TransferRecord {
  agency: string;
  caseId: string;
  transferNo: string;
  uscc: string;
  policeAgency: string;
  transferredAt: string;
  status: string;
  decidedAt: string | null;
  policeCaseNo: string | null;
  declineReason: string | null;
  /** The handover's information elements: letter, report, seized items, test reports, evidence. */
  detail: Record<string, unknown>;
}

export const toTransfer = (r: TransfersTable): TransferRecord => ({
  agency: r.agency,
  caseId: r.case_id,
  transferNo: r.transfer_no,
  uscc: r.uscc,
  policeAgency: r.police_agency,
  transferredAt: r.transferred_at,
  status: r.status,
  decidedAt: r.decided_at,
  policeCaseNo: r.police_case_no,
  declineReason: r.decline_reason,
  detail: json<Record<string, unknown>>(r.detail_json) ?? {},
});

export interface ComplaintRecord {
  agency: string;
  complaintId: string;
  uscc: string;
  receivedAt: string;
  channel: string | null;
  summary: string;
  matterCodes: string[];
  anonymous: boolean;
  /** 投诉举报人: personal data, masked for most readers. */
  complainant: PersonData | null;
}

export const toComplaint = (r: ComplaintsTable): ComplaintRecord => ({
  agency: r.agency,
  complaintId: r.complaint_id,
  uscc: r.uscc,
  receivedAt: r.received_at,
  channel: r.channel,
  summary: r.summary,
  matterCodes: json<string[]>(r.matter_codes_json) ?? [],
  anonymous: Number(r.anonymous) !== 0,
  complainant: json<PersonData>(r.complainant_json),
});
