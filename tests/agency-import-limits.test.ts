/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * CSV imports past their row limit, and cells a spreadsheet would run as formulas: the import
 * stops reading at the limit (413 naming it, nothing stored), and a formula-like cell is stored
 * verbatim with a warning in that row's report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoToken } from '@hub/platform';
import { sampleUscc, startTestNats, tempDir, type TestNats } from '@hub/testing';
import { formulaLike, startAgencyService, type AgencyService } from '@hub/agency-gateway';
import { MARKET_SUPERVISION } from './agency-fixtures.js';

const HEADER = ['抽查编号', '统一社会信用代码', '企业名称', '抽查日期', '抽查结果', '检查人员', '执法证号'];
const row = (id: string, n: number, name = '甲商贸有限公司') => [
  id,
  sampleUscc(n),
  name,
  '2026-03-02 09:30',
  '未发现问题',
  '张明、李华',
  'GSJ-0001、GSJ-0002',
];
const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

describe('CSV import limits and formula-like cells', () => {
  const data = tempDir('hub-import-limits-');
  let nats: TestNats;
  let service: AgencyService;
  let url: string;
  let token: string;

  const importCsv = async (body: string) => {
    const res = await fetch(`${url}/v1/imports?agency=GSJ`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    nats = await startTestNats();
    token = ensureDemoToken(data.path);
    ({ url, service } = await startAgencyService({
      definition: MARKET_SUPERVISION,
      dataDir: data.path,
      natsUrl: nats.url,
      config: { IMPORT_MAX_ROWS: 100 },
    }));
  });
  afterAll(async () => {
    await service?.close();
    await nats?.stop();
    data.remove();
  });

  it('refuses a file longer than the limit with 413 naming the limit, and stores none of it', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => row(`LIM-${i}`, 100 + (i % 50)));
    const res = await importCsv(csv([HEADER, ...rows]));
    expect(res.status, JSON.stringify(res.body)).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.detail ?? res.body.title).toBeDefined();
    expect(JSON.stringify(res.body)).toContain('100');
    const stats = (await (
      await fetch(`${url}/v1/outbox/stats`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as any;
    expect(JSON.stringify(stats)).not.toMatch(/"total":\s*[1-9]/);
  });

  it('accepts a file of exactly the limit', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(`OK-${i}`, 200 + (i % 50)));
    const res = await importCsv(csv([HEADER, ...rows]));
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.accepted + res.body.duplicates).toBe(100);
  });

  it('stores a formula-like cell verbatim and flags it in the row report', async () => {
    const res = await importCsv(
      csv([HEADER, row('F-1', 301, '=1+2商贸有限公司'), row('F-2', 302, '乙商贸有限公司')]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [first, second] = res.body.rows;
    expect(first.status).toBe('accepted');
    expect(first.warnings).toEqual([expect.objectContaining({ field: '企业名称' })]);
    expect(second.warnings).toBeUndefined();
  });
});

describe('formulaLike', () => {
  it('flags = + @ tab CR and - not followed by a number', () => {
    for (const c of ['=1+1', '+86', '@SUM(A1)', '\tx', '\rx', '-x', '-=1']) expect(formulaLike(c)).toBe(true);
    for (const c of ['-1', '-0.5', '张明', '2026-03-02', '', 'a=b']) expect(formulaLike(c)).toBe(false);
  });
});
