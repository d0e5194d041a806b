/**
 * The clock publisher: time enters the stream as events. Once a minute (configurable) it
 * publishes a `clockTicked` for the current minute to ENF_EVENTS, with
 * `Nats-Msg-Id: ZWH/tick-<minute>/0` and an event id derived from the minute, so two publishers,
 * or one restarted, still make one tick per minute. The projector evaluates due deadlines on
 * each tick it applies; replaying the stream replays the ticks, so deadline alerts come back
 * identical. Tests that drive time themselves leave it off and publish ticks of their choosing.
 */
import { jetstream } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import {
  BUILT_IN_CALENDARS,
  HUB_OFFICE_USCC,
  OFFICE_AGENCY,
  calendarVersionJson,
  clockTickedJson,
  eventSubject,
  officeMsgId,
  type CalendarInput,
} from '@hub/domain';
import { encodeCanonical, signatureHeaders, type Logger, type SigningKey } from '@hub/platform';

export interface ClockPublisher {
  /** Publishes the tick of the current minute now. */
  tick(): Promise<void>;
  stop(): void;
}

/**
 * Publishes one office event (tick or calendar) to JetStream, deduplicated by its message id,
 * signed with the committee office's key when one is given (the projector service signs).
 */
export async function publishOfficeEvent(
  nc: NatsConnection,
  json: Record<string, unknown>,
  key?: SigningKey,
): Promise<void> {
  const type = json.clockTicked ? 'clockTicked' : 'calendarVersionPublished';
  const data = encodeCanonical(json);
  const h = headers();
  if (key) for (const [k, v] of signatureHeaders(key, data)) h.set(k, v);
  await jetstream(nc).publish(eventSubject(OFFICE_AGENCY, type, HUB_OFFICE_USCC), data, {
    msgID: officeMsgId(json),
    headers: h,
  });
}

/** Publishes the calendar versions (the shipped ones by default); each once, by its id. */
export async function publishCalendars(
  nc: NatsConnection,
  versions: readonly CalendarInput[] = BUILT_IN_CALENDARS,
  now: () => Date = () => new Date(),
  key?: SigningKey,
): Promise<void> {
  for (const v of versions) await publishOfficeEvent(nc, calendarVersionJson(v, now().toISOString()), key);
}

export function startClockPublisher(opts: {
  nc: NatsConnection;
  log: Logger;
  /** @default 60000 */
  intervalMs?: number;
  /** The wall clock (the only place the hub reads it for the stream). */
  now?: () => Date;
  /** The committee office's signing key. */
  key?: SigningKey;
}): ClockPublisher {
  const now = opts.now ?? (() => new Date());
  let failing = false;
  const tick = async () => {
    try {
      await publishOfficeEvent(opts.nc, clockTickedJson(now().getTime()), opts.key);
      if (failing) opts.log.info('时钟恢复 (clock ticks published again)');
      failing = false;
    } catch (err) {
      // NATS down: the next tick tries again; a missed minute is covered by the next tick.
      if (!failing) opts.log.warn({ err }, '时钟发布失败 (clock tick not published)');
      failing = true;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 60_000);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
