/**
 * The domain facts the pages need, taken from the same pure source files the API uses, so the
 * USCC check in the search box is the API's check, and names match the API's.
 */
export { checkUscc } from '@domain/uscc';
export { EVENT_TYPES, EVENT_TYPE_NAMES } from '@domain/event-types';
export { AGENCIES, AGENCY_CODES, OFFICES } from '@domain/agencies';
export { ALERT_KINDS, ALERT_KIND_NAMES } from '@domain/coordination/types';
