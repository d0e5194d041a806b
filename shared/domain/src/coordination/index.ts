/**
 * 协同规则 — the coordination rules of issue 5 as pure, deterministic functions: duplicate
 * routine inspections, overlapping plans with a joint-inspection proposal, repeat penalties
 * (一事不再罚), inspection burden and the quiet period after a joint inspection.
 *
 * @example
 * const settings = parseCoordinationSettings({});
 * let state = initialCoordinationState();
 * const { alerts, withdrawn } = evolveCoordination(state, event, settings);
 * const check = checkPlannedInspection(state, { uscc, agency: 'GSJ', matterCodes: ['D6-GSJ-001'], date }, settings);
 */
export * from './alerts.js';
export {
  ALERT_KINDS,
  ALERT_KIND_NAMES,
  ALERT_STATUSES,
  type AlertKind,
  type AlertStatus,
  type CoordinationState,
} from './types.js';
export {
  coordinationSettingsSchema,
  parseCoordinationSettings,
  DEFAULT_COORDINATION_SETTINGS,
  type CoordinationSettings,
  type CoordinationSettingsInput,
} from './settings.js';
export {
  initialCoordinationState,
  cloneCoordinationState,
  serializeCoordinationState,
  restoreCoordinationState,
} from './state.js';
export { evolveCoordination, replayCoordination, type CoordinationResult } from './evolve.js';
export {
  checkPlannedInspection,
  recentActivity,
  inspectionBurden,
  quietPeriodAt,
  type QuietPeriodFigure,
  type PlannedInspectionQuery,
  type InspectionCheck,
  type CheckConflict,
  type ActivityItem,
} from './check.js';
export { leadAgencyFor, jointInspectionProposedPayload } from './joint-proposal.js';
export { periodOf } from './burden.js';
export {
  RETROSPECTIVE_HISTORY_TYPES,
  retrospectiveSubjectOf,
  retrospectiveAlerts,
  markRetrospective,
  replayWithRetrospective,
  inspectionHorizon,
  decisionHorizon,
  type RetrospectiveSubject,
} from './retrospective.js';
