/**
 * Event builders for the coordination specs (given/when/then) and for anyone writing tests
 * against the rules: each builder returns a HubEvent parsed through `parseHubEvent`, so every
 * example is a valid event. Ids are deterministic (a counter), times explicit.
 */
import {
  withUsccCheck,
  parseHubEvent,
  toCanonicalJson,
  type HubEvent,
  type InspectionReason,
  replayCoordination,
  type AlertRaised,
  type AlertWithdrawn,
  DEFAULT_COORDINATION_SETTINGS,
  type CoordinationSettings,
  initialCoordinationState,
  type CoordinationState,
} from '@hub/domain';

export const BUSINESS = withUsccCheck('91350100M00010012');

type Short = 'RANDOM_SELECTION' | 'ANNUAL_PLAN' | 'COMPLAINT' | 'FOLLOW_UP' | 'SPECIAL_CAMPAIGN' | 'REFERRAL';

export interface InspectionSpec {
  agency: string;
  id: string;
  at: string;
  reason?: Short;
  matters?: string[];
  joint?: string;
  quietReason?: string;
  uscc?: string;
}

const DEFAULT_MATTER: Record<string, string> = {
  GSJ: 'D6-GSJ-001',
  ZJJ: 'D6-ZJJ-001',
  SYJ: 'D1-SYJ-001',
  JMZX: 'D6-JMZX-001',
  CGJ: 'D3-CGJ-001',
  GHJ: 'D3-GHJ-001',
  XFDD: 'D5-XFDD-001',
  AJJ: 'D5-AJJ-001',
  JTJ: 'D5-JTJ-001',
  SWJ: 'D3-SWJ-001',
};

/** A fresh builder; ids count up from 1. */
export function given() {
  let n = 0;
  const nextId = () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
  const build = (agency: string, at: string, body: Record<string, unknown>, uscc = BUSINESS): HubEvent => {
    const id = nextId();
    const r = parseHubEvent({
      eventId: id,
      agency,
      business: { uscc },
      occurredAt: at,
      recordedAt: at,
      source: { system: 'spec', recordId: id },
      ...body,
    });
    if (!r.ok) throw new Error(`invalid example event: ${JSON.stringify(r.issues)}`);
    return r.value;
  };
  const reason = (s: Short | undefined): InspectionReason => `INSPECTION_REASON_${s ?? 'RANDOM_SELECTION'}`;
  return {
    completed: (s: InspectionSpec) =>
      build(
        s.agency,
        s.at,
        {
          inspectionCompleted: {
            inspectionId: s.id,
            reason: reason(s.reason),
            result: 'INSPECTION_RESULT_NO_ISSUES',
            matterCodes: s.matters ?? [DEFAULT_MATTER[s.agency] ?? 'D6-GSJ-001'],
            ...(s.joint ? { jointInspectionId: s.joint } : {}),
            ...(s.quietReason ? { quietPeriodReason: s.quietReason } : {}),
          },
        },
        s.uscc,
      ),
    planned: (s: InspectionSpec & { plannedAt?: string }) =>
      build(
        s.agency,
        s.plannedAt ?? s.at,
        {
          inspectionPlanned: {
            inspectionId: s.id,
            reason: reason(s.reason),
            matterCodes: s.matters ?? [DEFAULT_MATTER[s.agency] ?? 'D6-GSJ-001'],
            plannedFor: s.at,
            ...(s.joint ? { jointInspectionId: s.joint } : {}),
          },
        },
        s.uscc,
      ),
    cancelled: (s: { agency: string; id: string; at: string; uscc?: string }) =>
      build(s.agency, s.at, { inspectionCancelled: { inspectionId: s.id, reason: '计划调整' } }, s.uscc),
    caseOpened: (s: {
      agency: string;
      caseId: string;
      at: string;
      from?: string;
      to?: string;
      uscc?: string;
    }) =>
      build(
        s.agency,
        s.at,
        {
          penaltyCaseOpened: {
            caseId: s.caseId,
            matterCodes: [DEFAULT_MATTER[s.agency] ?? 'D6-GSJ-001'],
            ...(s.from ? { violationFrom: s.from } : {}),
            ...(s.to ? { violationTo: s.to } : {}),
          },
        },
        s.uscc,
      ),
    decided: (s: {
      agency: string;
      caseId: string;
      at: string;
      code: string;
      articles: string[];
      from?: string;
      to?: string;
      decisionNo?: string;
      uscc?: string;
    }) =>
      build(
        s.agency,
        s.at,
        {
          penaltyDecided: {
            caseId: s.caseId,
            decisionNo: s.decisionNo ?? `${s.agency}罚决字〔2026〕${s.caseId}号`,
            violationCode: s.code,
            legalBasisArticles: s.articles,
            amountFen: '500000',
            ...(s.from ? { violationFrom: s.from } : {}),
            ...(s.to ? { violationTo: s.to } : {}),
          },
        },
        s.uscc,
      ),
    revoked: (s: { agency: string; caseId: string; decisionNo: string; at: string; uscc?: string }) =>
      build(
        s.agency,
        s.at,
        { decisionRevoked: { caseId: s.caseId, decisionNo: s.decisionNo, reason: '复议撤销' } },
        s.uscc,
      ),
    retracted: (e: HubEvent, at: string) =>
      build(
        e.agency,
        at,
        { eventRetracted: { retractedEventId: e.eventId, reason: '误报' } },
        e.business.uscc,
      ),
    /** A correction replacing the payload (patched) and optionally the occurred-at. */
    corrected: (e: HubEvent, at: string, patch: Record<string, unknown>, occurredAt?: string) =>
      build(
        e.agency,
        at,
        {
          eventCorrected: {
            correctedEventId: e.eventId,
            reason: '录入错误更正',
            replacement: {
              ...(occurredAt ? { occurredAt } : {}),
              [e.type]: { ...(toCanonicalJson(e)[e.type] as object), ...patch },
            },
          },
        },
        e.business.uscc,
      ),
    catalogue: (version: string, sha256: string, at: string) =>
      build('GSJ', at, { catalogueVersionPublished: { version, sha256, matterCount: 1 } }),
  };
}

export interface Outcome {
  state: CoordinationState;
  alerts: AlertRaised[];
  withdrawn: AlertWithdrawn[];
}

/** Applies events in order from a fresh state (or the given one), collecting every alert. */
export const when = (
  events: HubEvent[],
  settings: CoordinationSettings = DEFAULT_COORDINATION_SETTINGS,
  state: CoordinationState = initialCoordinationState(),
): Outcome => replayCoordination(events, settings, state);

export const ofKind = <K extends AlertRaised['kind']>(alerts: AlertRaised[], kind: K) =>
  alerts.filter((a): a is Extract<AlertRaised, { kind: K }> => a.kind === kind);
