import { describe, expect, it } from 'vitest';
import { CURRENT_CATALOGUE } from '../catalogue/index.js';
import { alertIdOf } from './alerts.js';
import { checkPlannedInspection } from './check.js';
import { BUSINESS, given, ofKind, when } from '@hub/testing';
import { jointInspectionProposedPayload, leadAgencyFor } from './joint-proposal.js';
import { DEFAULT_COORDINATION_SETTINGS as S } from './settings.js';
import { PAYLOAD_SCHEMAS } from '../events.js';

const DAY = 86_400_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const T0 = '2026-04-01T01:00:00.000Z';

describe('plans cross-checked before the visit', () => {
  it('given SYJ planned a visit, when GSJ plans one 5 days later, then both are alerted with a joint inspection proposal', () => {
    const g = given();
    const syj = g.planned({
      agency: 'SYJ',
      id: 'S-1',
      at: plus(T0, 10 * DAY),
      plannedAt: T0,
      matters: ['D1-SYJ-001', 'D1-SYJ-002'],
    });
    const gsj = g.planned({ agency: 'GSJ', id: 'G-1', at: plus(T0, 15 * DAY), plannedAt: plus(T0, DAY) });
    const { alerts } = when([syj, gsj]);
    const [alert] = ofKind(alerts, 'plan_overlap');
    expect(alerts).toHaveLength(1);
    expect(alert!.alertId).toBe(alertIdOf('plan_overlap', [`B:${gsj.business.uscc}`, 'I:GSJ/G-1']));
    expect(alert!.agencies).toEqual(['GSJ', 'SYJ']);
    expect(alert!.details.plan.inspectionId).toBe('G-1');
    expect(alert!.details.conflicts.map((c) => [c.agency, c.inspectionId, c.stage])).toEqual([
      ['SYJ', 'S-1', 'planned'],
    ]);
    // SYJ leads two of the three matters involved, GSJ one: SYJ leads the joint inspection.
    expect(alert!.details.proposal).toMatchObject({
      leadAgency: 'SYJ',
      cooperatingAgencies: ['GSJ'],
      matterCodes: ['D1-SYJ-001', 'D1-SYJ-002', 'D6-GSJ-001'],
      inspectionIds: ['G-1', 'S-1'],
      proposedFor: plus(T0, 15 * DAY),
      alertId: alert!.alertId,
    });
    // The proposal is publishable as a JointInspectionProposed event as it stands.
    const parsed = PAYLOAD_SCHEMAS.jointInspectionProposed.safeParse(
      jointInspectionProposedPayload(alert!.details.proposal),
    );
    expect(parsed.success).toBe(true);
  });

  it('given GSJ inspected recently, when CGJ plans a visit within the window, then the recent inspection is the conflict', () => {
    const g = given();
    const { alerts } = when([
      g.completed({ agency: 'GSJ', id: 'G-1', at: T0 }),
      g.planned({ agency: 'CGJ', id: 'C-1', at: plus(T0, 20 * DAY), plannedAt: plus(T0, 2 * DAY) }),
    ]);
    const [alert] = ofKind(alerts, 'plan_overlap');
    expect(alert!.details.conflicts).toMatchObject([{ agency: 'GSJ', stage: 'completed' }]);
  });

  it('given plans 31 days apart, then there is no alert', () => {
    const g = given();
    const { alerts } = when([
      g.planned({ agency: 'SYJ', id: 'S-1', at: plus(T0, 10 * DAY), plannedAt: T0 }),
      g.planned({ agency: 'GSJ', id: 'G-1', at: plus(T0, 41 * DAY), plannedAt: T0 }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given plans of one joint inspection, when each agency plans its part, then there is no alert', () => {
    const g = given();
    const { alerts } = when([
      g.planned({ agency: 'SYJ', id: 'S-1', at: plus(T0, 10 * DAY), plannedAt: T0, joint: 'JI-7' }),
      g.planned({ agency: 'GSJ', id: 'G-1', at: plus(T0, 10 * DAY), plannedAt: T0, joint: 'JI-7' }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given an agency plans twice, then the plan check raises no joint proposal with itself', () => {
    const g = given();
    const { alerts } = when([
      g.planned({ agency: 'SYJ', id: 'S-1', at: plus(T0, 10 * DAY), plannedAt: T0 }),
      g.planned({ agency: 'SYJ', id: 'S-2', at: plus(T0, 12 * DAY), plannedAt: T0 }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given a complaint-driven plan, then it raises no plan alert and is not a conflict for others', () => {
    const g = given();
    const { alerts } = when([
      g.planned({ agency: 'SYJ', id: 'S-1', at: plus(T0, 10 * DAY), plannedAt: T0, reason: 'COMPLAINT' }),
      g.planned({ agency: 'GSJ', id: 'G-1', at: plus(T0, 11 * DAY), plannedAt: T0 }),
    ]);
    expect(alerts).toEqual([]);
  });

  it('given a plan alert, when the later plan is cancelled, then the alert is withdrawn', () => {
    const g = given();
    const { alerts, withdrawn } = when([
      g.planned({ agency: 'SYJ', id: 'S-1', at: plus(T0, 10 * DAY), plannedAt: T0 }),
      g.planned({ agency: 'GSJ', id: 'G-1', at: plus(T0, 11 * DAY), plannedAt: T0 }),
      g.cancelled({ agency: 'GSJ', id: 'G-1', at: plus(T0, DAY) }),
    ]);
    expect(withdrawn).toMatchObject([
      { alertId: alerts[0]!.alertId, kind: 'plan_overlap', reason: 'cancelled' },
    ]);
  });

  it('given three overlapping plans, when one is cancelled, then each alert holds while its plan still overlaps another', () => {
    const g = given();
    const { alerts, withdrawn } = when([
      g.planned({ agency: 'SYJ', id: 'S-1', at: plus(T0, 10 * DAY), plannedAt: T0 }),
      g.planned({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, 10 * DAY), plannedAt: T0 }),
      g.planned({ agency: 'GSJ', id: 'G-1', at: plus(T0, 11 * DAY), plannedAt: T0 }),
      g.cancelled({ agency: 'SYJ', id: 'S-1', at: plus(T0, DAY) }),
    ]);
    expect(ofKind(alerts, 'plan_overlap').map((a) => a.details.conflicts.length)).toEqual([1, 2]);
    // Z-1's alert named S-1, but Z-1 still overlaps G-1: a plan's alert stands while any conflict does.
    expect(withdrawn).toEqual([]);
  });
});

describe('lead body of a joint inspection', () => {
  it('is the lead body of most matters involved, even when it planned later', () => {
    expect(
      leadAgencyFor(CURRENT_CATALOGUE, [
        { agency: 'AJJ', matterCodes: ['D5-AJJ-004'] },
        { agency: 'XFDD', matterCodes: ['D5-XFDD-001', 'D5-XFDD-004'] },
      ]),
    ).toBe('XFDD');
  });

  it('goes to the agency involved first on a tie, and may be an uninvolved lead body', () => {
    expect(
      leadAgencyFor(CURRENT_CATALOGUE, [
        { agency: 'GSJ', matterCodes: ['D6-GSJ-001'] },
        { agency: 'ZJJ', matterCodes: ['D6-ZJJ-001'] },
      ]),
    ).toBe('GSJ');
    // AJJ and XFDD inspect fire safety (XFDD leads it): XFDD leads though AJJ asked.
    expect(leadAgencyFor(CURRENT_CATALOGUE, [{ agency: 'AJJ', matterCodes: ['D5-XFDD-001'] }])).toBe('XFDD');
  });
});

describe('checkPlannedInspection: POST /v1/checks/inspection', () => {
  const q = { uscc: BUSINESS, agency: 'GSJ', matterCodes: ['D6-GSJ-001'], date: plus(T0, 20 * DAY) };

  it('given nothing recorded, then it is clear to go', () => {
    const { state } = when([]);
    expect(checkPlannedInspection(state, q, S)).toEqual({
      clear: true,
      conflicts: [],
      proposal: undefined,
      recentActivity: [],
    });
  });

  it('given another agency plans and an own recent visit, then it lists both and proposes a joint inspection', () => {
    const g = given();
    const { state } = when([
      g.planned({
        agency: 'ZJJ',
        id: 'Z-1',
        at: plus(T0, 25 * DAY),
        plannedAt: T0,
        matters: ['D6-ZJJ-001', 'D6-ZJJ-002'],
      }),
      g.completed({ agency: 'GSJ', id: 'G-0', at: plus(T0, 2 * DAY) }),
      g.completed({ agency: 'SYJ', id: 'S-0', at: plus(T0, 3 * DAY), reason: 'COMPLAINT' }),
    ]);
    const r = checkPlannedInspection(state, q, S);
    expect(r.clear).toBe(false);
    expect(
      r.conflicts.map((c) =>
        c.kind === 'other_agency' || c.kind === 'same_agency'
          ? `${c.kind}:${c.inspection.inspectionId}`
          : c.kind,
      ),
    ).toEqual(['other_agency:Z-1', 'same_agency:G-0']);
    expect(r.proposal).toMatchObject({
      leadAgency: 'ZJJ',
      cooperatingAgencies: ['GSJ'],
      inspectionIds: ['Z-1'],
    });
    expect(r.recentActivity.map((a) => [a.inspection.inspectionId, a.exempt])).toEqual([
      ['Z-1', false],
      ['S-0', true],
      ['G-0', false],
    ]);
    // The check changes nothing and is deterministic.
    expect(checkPlannedInspection(state, q, S)).toEqual(r);
  });

  it('given a complaint-driven visit is asked about, then it is clear to go whatever else is planned', () => {
    const g = given();
    const { state } = when([g.planned({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, 25 * DAY), plannedAt: T0 })]);
    expect(checkPlannedInspection(state, { ...q, reason: 'INSPECTION_REASON_COMPLAINT' }, S).clear).toBe(
      true,
    );
  });

  it('given a joint inspection 10 days before, then the quiet period is the conflict', () => {
    const g = given();
    const { state } = when([
      g.completed({ agency: 'SYJ', id: 'S-1', at: plus(T0, -50 * DAY), joint: 'JI-9' }),
      g.completed({ agency: 'ZJJ', id: 'Z-1', at: plus(T0, -50 * DAY), joint: 'JI-9' }),
    ]);
    const r = checkPlannedInspection(state, q, S);
    expect(r.conflicts).toMatchObject([
      { kind: 'quiet_period', jointInspectionId: 'JI-9', jointAgencies: ['SYJ', 'ZJJ'] },
    ]);
    expect(r.proposal).toBeUndefined();
  });

  it('given the period already holds the maximum of routine visits, then the burden is the conflict', () => {
    const g = given();
    const visits = ['SYJ', 'ZJJ', 'CGJ', 'XFDD'].map((agency, i) =>
      g.completed({ agency, id: `${agency}-1`, at: plus('2026-07-02T02:00:00Z', i * 31 * DAY) }),
    );
    const { state } = when(visits.slice(0, 3).concat(visits[3]!));
    const r = checkPlannedInspection(
      state,
      { ...q, date: '2026-09-30T01:00:00Z' },
      { ...S, burdenMaxRoutineVisits: 3 },
    );
    expect(r.conflicts.filter((c) => c.kind === 'burden')).toEqual([
      { kind: 'burden', period: '2026-Q3', routineVisits: 3, max: 3 },
    ]);
  });
});
