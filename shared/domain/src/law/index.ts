/**
 * 法治规则 — the law the hub checks over the event stream, as pure deciders: the order of the
 * penalty procedure (告知、听证、法制审核、集体讨论、送达、公示、缴罚分离), the limitation period,
 * the 两法衔接 clocks, on a versioned working-day calendar. Time enters only through clock-tick
 * events, so a replay of the stream raises the same alerts with the same ids.
 *
 * @example
 * const state = initialLawState();
 * const { alerts, withdrawn, clocks } = evolveLaw(state, event); // any HubEvent
 */
export * from './calendar.js';
export { BUILT_IN_CALENDARS } from './calendar-data.js';
export { LEGAL_RULES, type LegalRuleCode } from './rules.js';
export * from './types.js';
export { evolveLaw, legalAlertIdOf } from './evolve.js';
export { decidedTotalFen } from './checks.js';
export * from './office-events.js';
export { serializeLawState, restoreLawState } from './snapshot.js';
