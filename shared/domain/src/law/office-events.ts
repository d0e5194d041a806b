/**
 * The committee office's own events about time: clock ticks and working-day calendar versions,
 * as canonical JSON ready to encode and publish. Their ids are derived from what they are (the
 * tick's minute, the calendar's version), so publishing one twice — two publishers, a restart
 * beyond JetStream's duplicate window — is still one fact for the projector.
 *
 * @example
 * const tick = clockTickedJson(Date.parse('2026-03-02T02:00:30Z')); // the minute 02:00
 * js.publish(eventSubject('ZWH', 'clockTicked', HUB_OFFICE_USCC), encodeCanonical(tick), { msgID: officeMsgId(tick) });
 */
import { HUB_OFFICE_USCC } from '../agencies.js';
import { PURE_PORTS, type Sha256 } from '../hash.js';
import type { CalendarInput } from './calendar.js';

/** The agency code the office events are published under (执委会办公室). */
export const OFFICE_AGENCY = 'ZWH';

/** A UUID (version 7 layout) whose time is `ms` and whose other bits come from `seed`. */
export function derivedEventId(ms: number, seed: string, sha256: Sha256 = PURE_PORTS.sha256): string {
  const t = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const h = sha256(seed);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(0, 3)}-8${h.slice(3, 6)}-${h.slice(6, 18)}`;
}

export const tickMinute = (ms: number): number => Math.floor(ms / 60_000) * 60_000;

/** A tick for the minute containing `ms`. */
export function clockTickedJson(ms: number, clock = 'hub'): Record<string, unknown> {
  const minute = tickMinute(ms);
  const at = new Date(minute).toISOString();
  return {
    eventId: derivedEventId(minute, `clock:${at}`),
    agency: OFFICE_AGENCY,
    business: { uscc: HUB_OFFICE_USCC, name: '县行政综合执法委员会办公室' },
    occurredAt: at,
    recordedAt: at,
    source: { system: 'hub-clock', recordId: `tick-${at}`, revision: 0 },
    schemaVersion: 1,
    clockTicked: { clock },
  };
}

/** A calendar version as the committee office publishes it. */
export function calendarVersionJson(input: CalendarInput, recordedAt: string): Record<string, unknown> {
  return {
    eventId: derivedEventId(Date.parse(input.effectiveFrom), `calendar:${input.version}`),
    agency: OFFICE_AGENCY,
    business: { uscc: HUB_OFFICE_USCC, name: '县行政综合执法委员会办公室' },
    occurredAt: input.effectiveFrom,
    recordedAt,
    source: { system: 'hub-calendar', recordId: `calendar-${input.version}`, revision: 0 },
    schemaVersion: 1,
    calendarVersionPublished: input,
  };
}

/** `Nats-Msg-Id` of an office event: agency/source record/revision, as for every event. */
export const officeMsgId = (json: Record<string, unknown>): string => {
  const source = json.source as { recordId: string; revision: number };
  return `${OFFICE_AGENCY}/${source.recordId}/${source.revision}`;
};
