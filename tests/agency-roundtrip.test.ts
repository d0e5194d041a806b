/**
 * Every event type a department submits round-trips: HTTP JSON → outbox → relay → protobuf on
 * the stream → decoded equal to what was accepted (plus the hub's event id and recorded-at).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  OFFICE_EVENT_TYPES,
  eventSubject,
  findOfficer,
  parseHubEvent,
  parseSubmittedEvent,
  type EventType,
} from '@hub/domain';
import { ensureDemoToken } from '@hub/platform';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { startAgencyService, type AgencyService } from '@hub/agency-gateway';
import {
  inspectionBy,
  MARKET_SUPERVISION,
  postJson,
  PUBLIC_SAFETY,
  readEventsStream,
  reporterOf,
  sampleEvent,
  URBAN_CONSTRUCTION,
} from './agency-fixtures.js';

const officer = (cert: string) => ({ certificateNo: cert, name: findOfficer(cert)!.name });

describe('agency services: every event type round-trips to the stream', () => {
  const data = tempDir('hub-agency-rt-');
  let nats: TestNats;
  let token: string;
  const services: AgencyService[] = [];
  const urls = new Map<string, string>();

  beforeAll(async () => {
    nats = await startTestNats();
    token = ensureDemoToken(data.path);
    for (const definition of [MARKET_SUPERVISION, URBAN_CONSTRUCTION, PUBLIC_SAFETY]) {
      const { url, service } = await startAgencyService({
        definition,
        dataDir: data.path,
        natsUrl: nats.url,
      });
      services.push(service);
      urls.set(definition.service, url);
    }
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    await nats?.stop();
    data.remove();
  });

  it('publishes each type as protobuf on its subject and decodes to the accepted event', async () => {
    const types = EVENT_TYPES.filter((t) => !OFFICE_EVENT_TYPES.has(t));
    const sent = new Map<string, { type: EventType; input: Record<string, unknown>; eventId: string }>();
    for (const [n, type] of types.entries()) {
      const input = sampleEvent(type, n);
      const res = await postJson(urls.get(reporterOf(type).definition.service)!, input, token);
      expect(res.status, `${type}: ${JSON.stringify(res.body)}`).toBe(202);
      sent.set(res.body.events[0].eventId as string, {
        type,
        input,
        eventId: res.body.events[0].eventId as string,
      });
    }
    // One department of each of the other services too.
    const extra = [
      {
        url: urls.get('urban-construction')!,
        input: inspectionBy('CGJ', 'D3-CGJ-001', 900, [officer('CGJ-0001'), officer('CGJ-0002')]),
      },
      {
        url: urls.get('public-safety')!,
        input: inspectionBy('XFDD', 'D5-XFDD-001', 901, [officer('XFDD-0001'), officer('XFDD-0002')]),
      },
    ];
    for (const { url, input } of extra) {
      const res = await postJson(url, input, token);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      sent.set(res.body.events[0].eventId as string, {
        type: 'inspectionCompleted',
        input,
        eventId: res.body.events[0].eventId as string,
      });
    }

    const streamed = await waitFor(async () => {
      const all = await readEventsStream(nats.url);
      return all.length >= sent.size ? all : undefined;
    });
    expect(streamed).toHaveLength(sent.size);
    for (const msg of streamed) {
      const decoded = parseHubEvent(msg.json);
      expect(decoded.ok, JSON.stringify(decoded)).toBe(true);
      if (!decoded.ok) continue;
      const original = sent.get(decoded.value.eventId)!;
      expect(original, `unexpected event ${decoded.value.eventId}`).toBeDefined();
      const submitted = parseSubmittedEvent(original.input);
      if (!submitted.ok) throw new Error('sample does not parse');
      const { recordedAt, eventId, ...rest } = decoded.value;
      expect(eventId).toBe(original.eventId);
      expect(Date.parse(recordedAt)).toBeGreaterThan(0);
      expect(rest).toEqual(submitted.value);
      expect(msg.subject).toBe(
        eventSubject(submitted.value.agency, submitted.value.type, submitted.value.business.uscc),
      );
      expect(msg.msgId).toBe(`${submitted.value.agency}/${submitted.value.source.recordId}/0`);
    }
    expect(new Set(streamed.map((m) => (m.json as { eventId: string }).eventId)).size).toBe(sent.size);
  });
});
