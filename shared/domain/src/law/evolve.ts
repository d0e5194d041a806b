/**
 * The legal rules over the event stream: `evolveLaw(state, event)` files the event as a step of
 * its case or transfer, re-decides that entity, and returns the alerts that now hold and were
 * not raised before, and those raised before that no longer hold (withdrawn). A clock tick
 * re-decides only the entities whose clocks fell due. Updates `state` in place.
 *
 * @example
 * const state = initialLawState();
 * for (const e of events) {
 *   const { alerts, withdrawn, clocks } = evolveLaw(state, e);
 * }
 */
import { PURE_PORTS, type DomainPorts, type Sha256 } from '../hash.js';
import type { AlertWithdrawn } from '../coordination/alerts.js';
import type { HubEvent } from '../events.js';
import { calendarIssues, compileCalendar, type CalendarInput } from './calendar.js';
import { evaluateCase, evaluateTransfer, type Finding } from './checks.js';
import { LEGAL_RULES } from './rules.js';
import {
  DEFAULT_LAW_SETTINGS,
  type ClockView,
  type Entity,
  type LawResult,
  type LawSettings,
  type LawState,
  type LegalAlert,
  type Step,
} from './types.js';

/** Events that are steps of a penalty case (key: deciding agency + case id). */
const CASE_STEPS: ReadonlySet<string> = new Set([
  'penaltyCaseOpened',
  'penaltyNoticeServed',
  'statementRequested',
  'hearingHeld',
  'legalReviewCompleted',
  'collectiveDiscussionHeld',
  'penaltyDecided',
  'decisionServed',
  'paymentReceived',
  'decisionPublished',
  'decisionRevoked',
  'decisionChanged',
  'decisionReviewConcluded',
]);
/** Events that are steps of a 两法衔接 transfer (key: business + case id + transfer no). */
const TRANSFER_STEPS: ReadonlySet<string> = new Set([
  'transferReportMade',
  'transferApproved',
  'transferRefused',
  'caseTransferredToPolice',
  'policeAcceptedTransfer',
  'policeDeclinedTransfer',
  'policeCaseFiled',
  'caseFilingSupervisionRequested',
]);
const POLICE_SIDE: ReadonlySet<string> = new Set([
  'policeAcceptedTransfer',
  'policeDeclinedTransfer',
  'policeCaseFiled',
  'caseFilingSupervisionRequested',
]);

const EMPTY: LawResult = Object.freeze({ alerts: [], withdrawn: [], clocks: [] });
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

function keysOf(type: string, agency: string, uscc: string, p: Readonly<Record<string, unknown>>) {
  if (CASE_STEPS.has(type)) {
    const owner = type === 'paymentReceived' ? s(p.decidingAgency) : agency;
    return [
      { key: `case:${owner}/${s(p.caseId)}`, family: 'case' as const, agency: owner, transferNo: undefined },
    ];
  }
  if (TRANSFER_STEPS.has(type)) {
    const transferNo = s(p.transferNo);
    return [
      {
        key: `transfer:${uscc}/${s(p.caseId)}/${transferNo}`,
        family: 'transfer' as const,
        agency: POLICE_SIDE.has(type) ? '' : agency,
        transferNo,
      },
    ];
  }
  return [];
}

/** The alert id: sha256 (the domain's hash port) of the kind, the business, the case or transfer, and the rule. */
export const legalAlertIdOf = (
  kind: string,
  uscc: string,
  entityKey: string,
  rule: string,
  sha256: Sha256 = PURE_PORTS.sha256,
): string => sha256([kind, `B:${uscc}`, `E:${entityKey}`, `R:${rule}`].join('\n'));

export function evolveLaw(
  state: LawState,
  event: HubEvent,
  settings: LawSettings = DEFAULT_LAW_SETTINGS,
  ports: DomainPorts = PURE_PORTS,
): LawResult {
  const sha256 = ports.sha256;
  switch (event.type) {
    case 'clockTicked':
      return tick(state, event, settings, sha256);
    case 'calendarVersionPublished': {
      const input = event.payload as unknown as CalendarInput;
      // The schema refuses bad data already; a direct publisher's is checked once more here.
      if (calendarIssues(input).length === 0 && !state.calendars.some((c) => c.version === input.version)) {
        state.calendars.push(compileCalendar(input));
      }
      return EMPTY;
    }
    case 'eventRetracted':
    case 'eventCorrected':
      return amend(state, event, settings, sha256);
    default:
      break;
  }
  const p = event.payload as unknown as Readonly<Record<string, unknown>>;
  const keys = keysOf(event.type, event.agency, event.business.uscc, p);
  if (keys.length === 0) return EMPTY;
  const step: Step = {
    eventId: event.eventId,
    type: event.type,
    agency: event.agency,
    at: Date.parse(event.occurredAt),
    atIso: event.occurredAt,
    recordedAt: event.recordedAt,
    payload: p,
  };
  const touched: Entity[] = [];
  for (const k of keys) {
    let entity = state.entities.get(k.key);
    if (!entity) {
      entity = {
        key: k.key,
        family: k.family,
        uscc: event.business.uscc,
        caseId: s(p.caseId),
        agency: k.agency,
        transferNo: k.transferNo,
        steps: [],
      };
      state.entities.set(k.key, entity);
    }
    if (entity.agency === '' && k.agency !== '') entity.agency = k.agency;
    if (entity.steps.some((x) => x.eventId === step.eventId)) continue; // redelivered
    entity.steps.push(step);
    state.events.set(step.eventId, [...(state.events.get(step.eventId) ?? []), k.key]);
    touched.push(entity);
  }
  return decide(state, touched, event, settings, sha256);
}

function tick(state: LawState, event: HubEvent, settings: LawSettings, sha256: Sha256): LawResult {
  const at = Date.parse(event.occurredAt);
  if (at <= state.now) return EMPTY; // a tick is never earlier than the one before
  state.now = at;
  state.nowIso = event.occurredAt;
  const due = new Set<string>();
  for (const [clockId, p] of state.pending) {
    if (p.dueMs <= at) {
      due.add(p.entityKey);
      state.pending.delete(clockId);
    }
  }
  if (due.size === 0) return EMPTY;
  const entities = [...due].sort().flatMap((k) => state.entities.get(k) ?? []);
  return decide(state, entities, event, settings, sha256);
}

function amend(state: LawState, event: HubEvent, settings: LawSettings, sha256: Sha256): LawResult {
  const p = event.payload as unknown as Readonly<Record<string, unknown>>;
  const targetId = event.type === 'eventCorrected' ? s(p.correctedEventId) : s(p.retractedEventId);
  const keys = state.events.get(targetId);
  if (!keys) return EMPTY;
  const touched: Entity[] = [];
  for (const key of keys) {
    const entity = state.entities.get(key);
    if (!entity) continue;
    const i = entity.steps.findIndex((x) => x.eventId === targetId);
    if (i < 0) continue;
    const old = entity.steps[i]!;
    if (event.type === 'eventRetracted') {
      entity.steps.splice(i, 1);
    } else {
      const r = (p.replacement ?? {}) as Record<string, unknown>;
      const payload = (r[old.type] ?? old.payload) as Readonly<Record<string, unknown>>;
      const atIso = typeof r.occurredAt === 'string' ? r.occurredAt : old.atIso;
      entity.steps[i] = { ...old, payload, atIso, at: Date.parse(atIso) };
    }
    touched.push(entity);
  }
  return decide(state, touched, event, settings, sha256);
}

/** Re-decides the entities; alerts that now hold and were not raised, those raised that no longer hold. */
function decide(
  state: LawState,
  entities: readonly Entity[],
  by: HubEvent,
  settings: LawSettings,
  sha256: Sha256,
): LawResult {
  const alerts: LegalAlert[] = [];
  const withdrawn: AlertWithdrawn[] = [];
  const clocks: ClockView[] = [];
  for (const entity of entities) {
    const r =
      entity.family === 'case'
        ? evaluateCase(state, entity, settings)
        : evaluateTransfer(state, entity, settings);
    for (const c of r.clocks) {
      clocks.push(c);
      if (c.status === 'open')
        state.pending.set(c.clockId, { entityKey: entity.key, dueMs: Date.parse(c.dueAt) });
      else state.pending.delete(c.clockId);
    }
    const before = state.raised.get(entity.key) ?? new Map<string, LegalAlert>();
    const now = new Map<string, LegalAlert>();
    for (const f of r.findings) {
      const alertId = legalAlertIdOf(f.kind, entity.uscc, entity.key, f.rule, sha256);
      const known = before.get(alertId);
      if (known) {
        now.set(alertId, known);
        continue;
      }
      const alert = alertOf(alertId, entity, f, by, settings);
      now.set(alertId, alert);
      alerts.push(alert);
    }
    for (const [alertId, a] of before) {
      if (now.has(alertId)) continue;
      withdrawn.push({
        alertId,
        kind: a.kind,
        uscc: a.uscc,
        agencies: a.agencies,
        reason:
          by.type === 'eventRetracted'
            ? 'retracted'
            : by.type === 'eventCorrected'
              ? 'corrected'
              : 'superseded',
        byEventId: by.eventId,
      });
    }
    if (now.size > 0) state.raised.set(entity.key, now);
    else state.raised.delete(entity.key);
  }
  return { alerts, withdrawn, clocks };
}

function alertOf(alertId: string, e: Entity, f: Finding, by: HubEvent, settings: LawSettings): LegalAlert {
  const rule = LEGAL_RULES[f.rule];
  const retrospective = Date.parse(by.recordedAt) - f.breachAt > settings.liveWindowDays * 86_400_000;
  const where = e.transferNo ? `案件 ${e.caseId} 移送 ${e.transferNo}` : `案件 ${e.caseId}`;
  const whereEn = e.transferNo ? `case ${e.caseId}, transfer ${e.transferNo}` : `case ${e.caseId}`;
  const due = f.clock
    ? `（期限 ${f.clock.dueDay}${f.clock.kind === 'handover' ? ` ${f.clock.dueAt}` : ''}）`
    : '';
  const dueEn = f.clock ? ` (due ${f.clock.kind === 'handover' ? f.clock.dueAt : f.clock.dueDay})` : '';
  return {
    alertId,
    kind: f.kind,
    uscc: e.uscc,
    agencies: [...f.agencies].sort(),
    causedBy: [...new Set(f.causedBy.map((x) => x.eventId))].sort(),
    raisedByEventId: by.eventId,
    raisedAt: by.recordedAt,
    summary: {
      zh: `${where}：${rule.zh}${due}，依据${rule.article}`,
      en: `${whereEn}: ${rule.en}${dueEn}`,
    },
    details: {
      rule: f.rule,
      article: rule.article,
      missingStep: rule.missing,
      caseId: e.caseId,
      transferNo: e.transferNo,
      decisionNo: f.decisionNo,
      clock: f.clock,
      retrospective,
      notes: f.notes ?? [],
    },
  };
}
