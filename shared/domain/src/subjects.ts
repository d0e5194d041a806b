/**
 * NATS subjects. They carry the agency and the business, so NATS permissions can confine an
 * agency to its own subjects and one business's history can be read by subject filter.
 * Never personal data.
 *
 * @example
 * eventSubject('GSJ', 'inspectionCompleted', '91350100M000100Y43');
 * // 'enf.evt.GSJ.inspection_completed.91350100M000100Y43'
 */
import { eventTypeFromToken, eventTypeToken, type EventType } from './event-types.js';

export const EVENTS_STREAM = 'ENF_EVENTS';
export const ALERTS_STREAM = 'ENF_ALERTS';
export const DLQ_STREAM = 'ENF_DLQ';

export const EVENTS_SUBJECTS = 'enf.evt.>';
export const ALERTS_SUBJECTS = 'enf.alert.>';
export const DLQ_SUBJECTS = 'enf.dlq.>';

export const eventSubject = (agency: string, type: EventType, uscc: string): string =>
  `enf.evt.${agency}.${eventTypeToken(type)}.${uscc}`;

/** All event subjects of one agency: what its credentials may publish to. */
export const agencyEventSubjects = (agency: string): string => `enf.evt.${agency}.>`;

/** All events about one business, across agencies. */
export const businessEventSubjects = (uscc: string): string => `enf.evt.*.*.${uscc}`;

export const alertSubject = (kind: string, agency: string): string => `enf.alert.${kind}.${agency}`;

export const dlqSubject = (reason: string): string => `enf.dlq.${reason}`;

export interface ParsedEventSubject {
  agency: string;
  type: EventType | undefined;
  typeToken: string;
  uscc: string;
}

/** Splits an event subject; undefined when it is not of the form enf.evt.<agency>.<type>.<uscc>. */
export function parseEventSubject(subject: string): ParsedEventSubject | undefined {
  const parts = subject.split('.');
  if (parts.length !== 5 || parts[0] !== 'enf' || parts[1] !== 'evt') return undefined;
  const [, , agency = '', typeToken = '', uscc = ''] = parts;
  return { agency, typeToken, type: eventTypeFromToken(typeToken), uscc };
}
