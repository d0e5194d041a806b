/**
 * Bad input gets a clear problem+json (400 shape, 422 rule, 401/403/409/413/415) naming the
 * field, and changes nothing: the outbox and the stream stay empty throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken, issueToken } from '@hub/platform';
import { type EventType } from '@hub/domain';
import { startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import { fixedClock, startAgencyService, type AgencyService } from '@hub/agency-gateway';
import {
  GSJ_OFFICERS,
  MARKET_SUPERVISION,
  PAYLOADS,
  postJson,
  sampleEvent,
  streamCount,
} from './agency-fixtures.js';

const NOW = '2026-06-01T00:00:00Z';

/** A sample with one payload field replaced. */
const withPayload = (type: EventType, patch: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  ...sampleEvent(type, 1),
  [type]: { ...PAYLOADS[type], ...patch },
  ...top,
});

interface Case {
  name: string;
  body: unknown;
  status: number;
  code: string;
  field?: string;
  rule?: string;
  contentType?: string;
}

const CASES: Case[] = [
  {
    name: 'malformed JSON',
    body: '{"agency": "GSJ",',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: '(body)',
  },
  {
    name: 'wrong content type',
    body: 'agency=GSJ',
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'unknown event type',
    body: {
      ...sampleEvent('inspectionCancelled', 1),
      inspectionCancelled: undefined,
      inspectionFinished: {},
    },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'inspectionFinished',
  },
  {
    name: 'missing field',
    body: withPayload('inspectionStarted', { inspectionId: undefined }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'inspectionStarted.inspectionId',
  },
  {
    name: 'invalid USCC check character',
    body: { ...sampleEvent('inspectionCancelled', 1), business: { uscc: '91350100M000100Y44' } },
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'business.uscc',
  },
  {
    name: 'negative amount',
    body: withPayload('penaltyDecided', { amountFen: -100 }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'penaltyDecided.amountFen',
  },
  { name: 'empty batch', body: { events: [] }, status: 400, code: 'VALIDATION_FAILED', field: 'events' },
  {
    name: 'unknown agency',
    body: { ...sampleEvent('inspectionCancelled', 1), agency: 'XYZ' },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'agency',
    rule: 'UNKNOWN_AGENCY',
  },
  {
    name: 'agency of another service',
    body: { ...sampleEvent('inspectionCancelled', 1), agency: 'CGJ' },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'agency',
    rule: 'AGENCY_NOT_IN_SERVICE',
  },
  {
    name: 'unknown matter',
    body: withPayload('inspectionPlanned', { matterCodes: ['D6-GSJ-999'] }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'inspectionPlanned.matterCodes.0',
    rule: 'UNKNOWN_MATTER',
  },
  {
    name: 'matter outside the agency powers',
    body: withPayload('inspectionCompleted', { matterCodes: ['D3-CGJ-001'], findings: [] }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'inspectionCompleted.matterCodes.0',
    rule: 'MATTER_OUTSIDE_POWERS',
  },
  {
    name: 'officer not registered',
    body: withPayload('inspectionStarted', {
      officers: [GSJ_OFFICERS[0], { certificateNo: 'GSJ-7777', name: '无名' }],
    }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'inspectionStarted.officers.1',
    rule: 'OFFICER_NOT_REGISTERED',
  },
  {
    name: 'officer certificate expired',
    body: withPayload('inspectionCompleted', {
      officers: [GSJ_OFFICERS[0], { certificateNo: 'GSJ-0009', name: '陈海燕' }],
    }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'inspectionCompleted.officers.1',
    rule: 'OFFICER_CERTIFICATE_EXPIRED',
  },
  {
    name: 'one officer at an inspection start',
    body: withPayload('inspectionStarted', { officers: [GSJ_OFFICERS[0]] }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'inspectionStarted.officers',
    rule: 'TOO_FEW_OFFICERS',
  },
  {
    name: 'one officer at an inspection',
    body: withPayload('inspectionCompleted', { officers: [GSJ_OFFICERS[0]] }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'inspectionCompleted.officers',
    rule: 'TOO_FEW_OFFICERS',
  },
  {
    name: 'one officer opening a case',
    body: withPayload('penaltyCaseOpened', { officers: [GSJ_OFFICERS[0], GSJ_OFFICERS[0]] }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'penaltyCaseOpened.officers',
    rule: 'TOO_FEW_OFFICERS',
  },
  {
    name: 'time in the future',
    body: { ...sampleEvent('inspectionCancelled', 1), occurredAt: '2026-06-02T00:00:00Z' },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'occurredAt',
    rule: 'TIME_IN_FUTURE',
  },
  {
    name: 'finish before start',
    body: withPayload('inspectionCompleted', { startedAt: '2026-03-02T11:00:00+08:00' }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'occurredAt',
    rule: 'FINISH_BEFORE_START',
  },
  {
    name: 'violation ends before it starts',
    body: withPayload('penaltyDecided', { violationTo: '2025-12-01T00:00:00+08:00' }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'penaltyDecided.violationTo',
    rule: 'FINISH_BEFORE_START',
  },
  {
    name: 'payment reported by the deciding agency',
    body: { ...sampleEvent('paymentReceived', 1), agency: 'GSJ' },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'agency',
    rule: 'PAYMENT_BY_DECIDING_AGENCY',
  },
  {
    name: 'payment reported by another agency',
    body: { ...sampleEvent('paymentReceived', 1), agency: 'ZJJ' },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'agency',
    rule: 'PAYMENT_REPORTER_NOT_FINANCE',
  },
  {
    name: "payment for another service's decision",
    body: withPayload('paymentReceived', { decidingAgency: 'CGJ' }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'paymentReceived.decidingAgency',
    rule: 'AGENCY_NOT_IN_SERVICE',
  },
  {
    name: 'catalogue published by an agency',
    body: {
      ...sampleEvent('inspectionCancelled', 1),
      inspectionCancelled: undefined,
      catalogueVersionPublished: { version: '9', sha256: 'a'.repeat(64), matterCount: 1 },
    },
    status: 422,
    code: 'RULE_VIOLATED',
    rule: 'EVENT_TYPE_NOT_ACCEPTED',
  },
  {
    name: 'batch with one bad event (all or nothing)',
    body: {
      events: [
        sampleEvent('inspectionCancelled', 1),
        { ...sampleEvent('inspectionCancelled', 2), agency: 'XYZ' },
      ],
    },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'events.1.agency',
    rule: 'UNKNOWN_AGENCY',
  },
  {
    name: 'batch with a malformed event',
    body: [sampleEvent('inspectionCancelled', 1), { agency: 'GSJ' }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'events.1.business',
  },
  {
    name: 'batch over the limit',
    body: { events: Array.from({ length: 6 }, (_, i) => sampleEvent('inspectionCancelled', i)) },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    field: 'events',
  },
  {
    name: 'body over the limit',
    body: { ...sampleEvent('hearingHeld', 1), hearingHeld: { caseId: 'C', summary: 'x'.repeat(70_000) } },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
];

describe('agency service: bad input changes nothing', () => {
  const data = tempDir('hub-agency-bad-');
  let nats: TestNats;
  let service: AgencyService;
  let url: string;
  let token: string;

  beforeAll(async () => {
    nats = await startTestNats();
    token = ensureDemoToken(data.path);
    ({ url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
      clock: fixedClock(NOW),
      config: { MAX_BATCH: 5, BODY_LIMIT: 64 * 1024 },
    }));
  });

  afterAll(async () => {
    await service?.close();
    await nats?.stop();
    data.remove();
  });

  it.each(CASES)('$name → $status $code', async (c) => {
    const res = await postJson(url, c.body, token, c.contentType);
    expect(res.status, JSON.stringify(res.body)).toBe(c.status);
    expect(res.body).toMatchObject({ status: c.status, code: c.code });
    expect(res.body.detail).toMatch(/[\u4e00-\u9fff].*\(.*[a-z]/);
    if (c.field !== undefined)
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field: c.field }));
    if (c.rule !== undefined)
      expect(res.body.errors).toContainEqual(expect.objectContaining({ rule: c.rule }));
    expect(service.outbox.stats().total).toBe(0);
  });

  it('refuses a missing token (401) and a token for other departments (403)', async () => {
    const none = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sampleEvent('inspectionCancelled', 1)),
    });
    expect(none.status).toBe(401);
    expect(
      await postJson(url, sampleEvent('inspectionCancelled', 1), 'hub_not-a-token').then((r) => r.status),
    ).toBe(401);
    const { token: zjj } = issueToken(data.path, { name: '质监局系统', scopes: ['ingest:ZJJ'] });
    const other = await postJson(url, sampleEvent('inspectionCancelled', 1), zjj);
    expect(other.status).toBe(403);
    expect(other.body.errors).toContainEqual(expect.objectContaining({ field: 'agency' }));
    expect(service.outbox.stats().total).toBe(0);
  });

  it('stores nothing and publishes nothing for any of them; a good event then goes through', async () => {
    expect(await streamCount(nats.url)).toBe(0);
    const good = await postJson(url, sampleEvent('inspectionCancelled', 1), token);
    expect(good.status).toBe(202);
    await waitFor(async () => ((await streamCount(nats.url)) === 1 ? true : undefined));
  });

  it('answers 409 for the same record and revision with other content, and stores nothing new', async () => {
    const changed = withPayload('inspectionCancelled', { reason: '改了内容' });
    const res = await postJson(url, changed, token);
    expect(res.status).toBe(409);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'source.revision' }));
    const next = await postJson(
      url,
      { ...changed, source: { system: 'test-system', recordId: 'inspectionCancelled-1', revision: 1 } },
      token,
    );
    expect(next.status).toBe(202);
    expect(service.outbox.stats().total).toBe(2);
  });
});
