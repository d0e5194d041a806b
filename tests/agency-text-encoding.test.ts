/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * Text that protobuf cannot carry as valid UTF-8 is refused at the boundary (400 naming the
 * field), in JSON and in CSV alike: accepting it would mean a 202 for an event the projector
 * can only dead-letter as undecodable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { sampleUscc, startTestNats, tempDir, type TestNats } from '@hub/testing';
import { fixedClock, startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION, PAYLOADS, postJson, sampleEvent } from './agency-fixtures.js';

const HEADER = '抽查编号,统一社会信用代码,企业名称,抽查日期,抽查结果,检查人员,执法证号\r\n';
const row = (id: string, name: string) =>
  `${id},${sampleUscc(31)},${name},2026-03-02 09:30,未发现问题,张明、李华,GSJ-0001、GSJ-0002\r\n`;

describe('agency service: text that is not valid Unicode', () => {
  const data = tempDir('hub-agency-text-');
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
      clock: fixedClock('2026-06-01T00:00:00Z'),
    }));
  });
  afterAll(async () => {
    await service?.close();
    await nats?.stop();
    data.remove();
  });

  it.each([
    ['business.name', 1, { business: { uscc: sampleUscc(1), name: '示例\ud800商贸' } }, {}],
    ['business.address', 2, { business: { uscc: sampleUscc(1), address: '\udc00人民路' } }, {}],
    ['inspectionCancelled.reason', 3, {}, { reason: '企业\udfff已注销' }],
  ])('JSON: a lone surrogate in %s → 400 naming it, nothing stored', async (field, n, top, payload) => {
    const body = {
      ...sampleEvent('inspectionCancelled', n),
      ...top,
      inspectionCancelled: { ...PAYLOADS.inspectionCancelled, ...payload },
    };
    const res = await postJson(url, body, token);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ field, message: expect.stringMatching(/UTF-8|Unicode/) }),
    );
    expect(service.outbox.stats().total).toBe(0);
  });

  it('JSON: paired surrogates (an emoji, a rare CJK character) are fine', async () => {
    const body = {
      ...sampleEvent('inspectionCancelled', 9),
      business: { uscc: sampleUscc(9), name: '𠀋记😀商行' },
    };
    const res = await postJson(url, body, token);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  });

  it('CSV declared UTF-8 with bytes that are not UTF-8 → 400 naming the row, nothing stored', async () => {
    const before = service.outbox.stats().total;
    const bytes = Buffer.concat([
      Buffer.from(HEADER + row('SJ-T-1', '甲商贸')),
      Buffer.from('SJ-T-2,'),
      Buffer.from(sampleUscc(32)),
      Buffer.from(',乙'),
      Buffer.from([0xed, 0xa0, 0x80]), // a UTF-16 surrogate encoded as if it were UTF-8 (CESU-8)
      Buffer.from('商贸,2026-03-02 09:30,未发现问题,张明、李华,GSJ-0001、GSJ-0002\r\n'),
    ]);
    const res = await fetch(`${url}/v1/imports?agency=GSJ`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${token}` },
      body: bytes,
    });
    const body = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toContainEqual(
      expect.objectContaining({ field: '(body)', message: expect.stringMatching(/第 3 行.*line 3/) }),
    );
    expect(service.outbox.stats().total).toBe(before);
  });
});
