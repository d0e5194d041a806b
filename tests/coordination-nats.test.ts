/**
 * The coordination rules fed from a real nats-server: the scenario is published as protobuf
 * events to ENF_EVENTS, read back in stream order, folded through the rules, and the alerts
 * published to `enf.alert.<kind>.<agency>` with `Nats-Msg-Id: <alertId>/<agency>`. A replay from
 * the stream gives the same ids, so publishing again stores nothing new (the pattern the projector
 * follows; docs/coordination-rules.md §5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  ALERT_KINDS,
  LEGAL_ALERT_KINDS,
  ALERTS_STREAM,
  EVENTS_STREAM,
  alertSubject,
  eventSubject,
  isEventType,
  parseCoordinationSettings,
  parseHubEvent,
  replayCoordination,
  type AlertRaised,
  type HubEvent,
} from '@hub/domain';
import { connectNats, decodeEventJson, encodeCanonical, ensureStreams } from '@hub/platform';
import { startTestNats, type TestNats, generateScenario } from '@hub/testing';

let nats: TestNats;
let nc: NatsConnection;
const scenario = generateScenario({ seed: 11, businesses: 240 });
const settings = parseCoordinationSettings({});

beforeAll(async () => {
  nats = await startTestNats();
  nc = await connectNats({ servers: nats.url, name: 'coordination-test' });
  await ensureStreams(nc);
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

async function publishAll(items: { subject: string; data: Uint8Array; msgID: string }[]) {
  const js = jetstream(nc, { timeout: 30_000 });
  const acks = await Promise.all(items.map((m) => js.publish(m.subject, m.data, { msgID: m.msgID })));
  return acks.filter((a) => a.duplicate).length;
}

async function readStream(): Promise<HubEvent[]> {
  const total = (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(EVENTS_STREAM)).state
    .messages;
  const consumer = await jetstream(nc, { timeout: 30_000 }).consumers.get(EVENTS_STREAM);
  const out: HubEvent[] = [];
  while (out.length < total) {
    const batch = await consumer.fetch({ max_messages: Math.min(total - out.length, 1000), expires: 2000 });
    for await (const m of batch) {
      const r = parseHubEvent(decodeEventJson(m.data));
      if (!r.ok) throw new Error(JSON.stringify(r.issues));
      out.push(r.value);
    }
  }
  return out;
}

const alertMessages = (alerts: AlertRaised[]) =>
  alerts.flatMap((a) =>
    a.agencies.map((agency) => ({
      subject: alertSubject(a.kind, agency),
      data: new TextEncoder().encode(JSON.stringify(a)),
      msgID: `${a.alertId}/${agency}`,
    })),
  );

describe('coordination rules against a real nats-server', () => {
  it('given the scenario in ENF_EVENTS, when folded from the stream, then the planted alerts come out and are delivered once per agency', async () => {
    const dupes = await publishAll(
      scenario.events.map((e) => {
        const type = Object.keys(e).find(isEventType)!;
        const source = e.source as { recordId: string; revision: number };
        return {
          subject: eventSubject(e.agency as string, type, (e.business as { uscc: string }).uscc),
          data: encodeCanonical(e),
          msgID: `${e.agency as string}/${source.recordId}/${source.revision}`,
        };
      }),
    );
    expect(dupes).toBe(0);

    const events = await readStream();
    expect(events.map((e) => e.eventId)).toEqual(scenario.events.map((e) => e.eventId));
    const first = replayCoordination(events, settings);
    const counts = Object.fromEntries(
      ALERT_KINDS.map((k) => [k, first.alerts.filter((a) => a.kind === k).length]),
    );
    // The legal kinds are the legal rules' (tests/law-scenario.test.ts), not the coordination rules'.
    const legal: readonly string[] = LEGAL_ALERT_KINDS;
    expect(counts).toEqual(
      Object.fromEntries(ALERT_KINDS.map((k) => [k, legal.includes(k) ? 0 : scenario.planted[k]])),
    );

    const messages = alertMessages(first.alerts);
    expect(await publishAll(messages)).toBe(0);
    const stored = (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(ALERTS_STREAM)).state
      .messages;
    expect(stored).toBe(messages.length);

    // A replay from the stream reproduces the same ids: publishing them again stores nothing.
    const replay = replayCoordination(await readStream(), settings);
    expect(replay.alerts.map((a) => a.alertId)).toEqual(first.alerts.map((a) => a.alertId));
    expect(await publishAll(alertMessages(replay.alerts))).toBe(messages.length);
    expect(
      (await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info(ALERTS_STREAM)).state.messages,
    ).toBe(stored);
  });
});
