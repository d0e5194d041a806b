/** The query API's answers, as far as the pages read them (the OpenAPI document at /docs has all). */

export type Rule = 'all' | 'own' | 'none';

export interface Me {
  tokenId: string;
  subject: string | null;
  roles: string[];
  roleNames: string[];
  /** Agency codes of the token's `agency:X` roles. */
  agencies: string[];
  /** Agencies the token may submit events for (acknowledge and resolve alerts): '*' for all. */
  ingest: string[] | '*';
  /** What the token may read, per resource of the role matrix. */
  may: Record<string, Rule>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface BusinessSummary {
  uscc: string;
  name: string | null;
  address: string | null;
  agencies: string[];
  firstSeenAt: string;
  lastEventAt: string;
  eventCount: number;
  inspectionCount: number;
  penaltyCaseCount: number;
  complaintCount: number;
  transferCount: number;
  match?: string;
}

export interface HistoryItem {
  seq: number;
  eventId: string;
  agency: string;
  agencyName: string;
  eventType: string;
  eventTypeName: string;
  occurredAt: string;
  recordedAt: string;
  targetEventId: string | null;
  status: 'active' | 'corrected' | 'retracted';
  supersededByEventId: string | null;
  masked: boolean;
  payload: Record<string, unknown>;
}

export interface HistoryPage extends Page<HistoryItem> {
  uscc: string;
  name: string | null;
  asOf: string | null;
}

export interface Burden {
  period: string;
  periodStart: string;
  periodEnd: string | null;
  visits: number;
  routineVisits: number;
  agencies: string[];
  limit: number;
}

export interface Profile {
  business: BusinessSummary;
  agencies: { agency: string; agencyName: string; eventCount: number; lastOccurredAt: string }[];
  recentInspections: {
    agency: string;
    inspectionId: string;
    reason: string | null;
    status: string;
    completedAt: string | null;
    jointInspectionId: string | null;
    matterCodes: string[];
  }[];
  penaltyCases: {
    agency: string;
    caseId: string;
    stage: string;
    decisionNo: string | null;
    amountFen: number | null;
  }[];
  transfers: Transfer[];
  inspectionBurden: Burden;
  quietPeriod: { jointInspectionId: string; agencies: string[]; jointAt: string; quietUntil: string } | null;
  alerts: { unresolved: number; total: number };
}

export interface Transfer {
  agency: string;
  caseId: string;
  transferNo: string;
  uscc: string;
  policeAgency: string;
  transferredAt: string;
  status: 'transferred' | 'accepted' | 'declined';
  decidedAt: string | null;
  policeCaseNo: string | null;
  waitingDays: number | null;
  overdue: boolean;
}

export interface Alert {
  alertId: string;
  kind: string;
  kindName: { zh: string; en: string };
  uscc: string;
  status: 'open' | 'acknowledged' | 'resolved' | 'withdrawn';
  raisedAt: string;
  agencies: string[];
  matterCodes: string[];
  summary: { zh: string; en: string };
  details: Record<string, unknown>;
  acknowledged: { by: string | null; agency: string | null; at: string } | null;
  resolved: { by: string | null; agency: string | null; reason: string | null; at: string } | null;
}

export interface Matter {
  code: string;
  name: string;
  en: string;
  legalBasis: string;
  domain: number;
  leadAgency: string;
  cooperatingAgencies: string[];
}

export interface Problem {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}
