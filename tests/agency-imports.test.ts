/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies of HTTP answers */
/**
 * CSV imports from the departments' own exports: Chinese headers, UTF-8 or GBK, a per-row
 * report, re-import creating nothing new, every department's mapping, and the `hub import` CLI.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, mattersOfAgency, officersOfAgency } from '@hub/domain';
import { ensureDemoToken } from '@hub/platform';
import { sampleUscc, startTestNats, tempDir, waitFor, type TestNats } from '@hub/testing';
import {
  KINDS,
  startAgencyService,
  type AgencyService,
  type CsvMapping,
  type ImportReport,
} from '@hub/agency-gateway';
import {
  MARKET_SUPERVISION,
  PUBLIC_SAFETY,
  readEventsStream,
  URBAN_CONSTRUCTION,
} from './agency-fixtures.js';

const HUB_CLI = fileURLToPath(new URL('../services/hub/dist/main.js', import.meta.url));
const run = promisify(execFile);

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';

describe('CSV imports', () => {
  const data = tempDir('hub-agency-import-');
  let nats: TestNats;
  let token: string;
  const services: AgencyService[] = [];
  const urls: Record<string, string> = {};

  async function importFile(
    service: string,
    agency: string,
    body: Buffer | string,
    q: Record<string, string> = {},
    t = token,
  ) {
    const res = await fetch(
      `${urls[service]}/v1/imports?${new URLSearchParams({ agency, ...q }).toString()}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${t}` },
        body,
      },
    );
    return {
      status: res.status,
      body: (await res.json()) as ImportReport & { code?: string; errors?: unknown[] },
    };
  }

  const events = async (predicate: (e: Record<string, any>) => boolean) =>
    (await readEventsStream(nats.url)).map((m) => m.json as Record<string, any>).filter(predicate);

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
      urls[definition.service] = url;
    }
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await nats?.stop();
    data.remove();
  });

  it('imports a 工商局 random-inspection export (UTF-8 with BOM): per-row report, re-import adds nothing', async () => {
    const file =
      '\uFEFF' +
      csv([
        ['抽查编号', '统一社会信用代码', '企业名称', '抽查日期', '抽查结果', '检查人员', '执法证号'],
        [
          'SJ-2026-001',
          sampleUscc(11),
          '甲商贸有限公司',
          '2026-03-02 09:30',
          '未发现问题',
          '张明、李华',
          'GSJ-0001、GSJ-0002',
        ],
        [
          'SJ-2026-002',
          '91350100M000100Y44',
          '乙商贸有限公司',
          '2026/3/3',
          '合格',
          '张明、李华',
          'GSJ-0001、GSJ-0002',
        ],
        [
          'SJ-2026-003',
          sampleUscc(12),
          '丙商贸有限公司',
          '2026年3月4日',
          '责令整改',
          '张明、陈海燕',
          'GSJ-0001、GSJ-0009',
        ],
        [
          'SJ-2026-004',
          sampleUscc(13),
          '丁商贸有限公司',
          '2026-03-05',
          '立案查处',
          '张明、李华',
          'GSJ-0001、GSJ-0002',
        ],
      ]);
    const first = await importFile('market-supervision', 'GSJ', file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      format: 'gsj-random-inspection',
      encoding: 'utf-8',
      accepted: 2,
      duplicates: 0,
      rejected: 2,
    });
    expect(first.body.rows.map((r) => [r.row, r.recordId, r.status])).toEqual([
      [2, 'SJ-2026-001', 'accepted'],
      [3, 'SJ-2026-002', 'rejected'],
      [4, 'SJ-2026-003', 'rejected'],
      [5, 'SJ-2026-004', 'accepted'],
    ]);
    expect(first.body.rows[1]!.errors).toContainEqual(expect.objectContaining({ field: '统一社会信用代码' }));
    expect(first.body.rows[2]!.errors).toContainEqual(
      expect.objectContaining({ field: '执法证号', rule: 'OFFICER_CERTIFICATE_EXPIRED' }),
    );

    const again = await importFile('market-supervision', 'GSJ', file);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2, rejected: 2 });
    expect(again.body.rows[0]!.eventId).toBe(first.body.rows[0]!.eventId);

    const streamed = await waitFor(async () => {
      const found = await events((e) => e.source?.system === 'gsj-sjsj');
      return found.length >= 2 ? found : undefined;
    });
    expect(streamed).toHaveLength(2);
    const e = streamed.find((x) => x.source.recordId === 'SJ-2026-001')!;
    expect(e).toMatchObject({
      agency: 'GSJ',
      business: { uscc: sampleUscc(11), name: '甲商贸有限公司' },
      occurredAt: '2026-03-02T01:30:00.000Z',
      inspectionCompleted: {
        reason: 'INSPECTION_REASON_RANDOM_SELECTION',
        result: 'INSPECTION_RESULT_NO_ISSUES',
        matterCodes: ['D6-GSJ-001'],
        officers: [
          { certificateNo: 'GSJ-0001', name: '张明' },
          { certificateNo: 'GSJ-0002', name: '李华' },
        ],
      },
    });
  });

  it('imports a GBK export of the 食品药品监管局 and keeps the Chinese intact', async () => {
    const text = csv([
      [
        '检查记录号',
        '统一社会信用代码',
        '经营者名称',
        '检查日期',
        '检查事由',
        '检查结果',
        '检查人员',
        '执法证号',
        '发现问题',
      ],
      [
        'SP-1',
        sampleUscc(21),
        '好味道餐饮店',
        '2026-03-06 14:00',
        '投诉举报',
        '责令整改',
        `${officersOfAgency('SYJ')[0]!.name}、${officersOfAgency('SYJ')[1]!.name}`,
        'SYJ-0001、SYJ-0002',
        '后厨卫生不达标',
      ],
      [
        'SP-2',
        sampleUscc(22),
        '老街面馆',
        '2026-03-07',
        '双随机',
        '合格',
        `${officersOfAgency('SYJ')[0]!.name}、${officersOfAgency('SYJ')[1]!.name}`,
        'SYJ-0001、SYJ-0002',
        '无',
      ],
    ]);
    const gbk = iconv.encode(text, 'gbk');
    const first = await importFile('market-supervision', 'SYJ', gbk);
    expect(first.body).toMatchObject({
      format: 'syj-food-inspection',
      encoding: 'gbk',
      accepted: 2,
      rejected: 0,
    });
    expect((await importFile('market-supervision', 'SYJ', gbk)).body).toMatchObject({
      accepted: 0,
      duplicates: 2,
    });
    const streamed = await waitFor(async () => {
      const found = await events((e) => e.agency === 'SYJ');
      return found.length >= 2 ? found : undefined;
    });
    const sp1 = streamed.find((e) => e.source.recordId === 'SP-1')!;
    expect(sp1.business.name).toBe('好味道餐饮店');
    expect(sp1.inspectionCompleted.findings).toEqual([
      { matterCode: 'D1-SYJ-001', description: '后厨卫生不达标', violation: true },
    ]);
    expect(sp1.inspectionCompleted.reason).toBe('INSPECTION_REASON_COMPLAINT');
  });

  it('imports the finance bureau payment export: only payments for this service departments', async () => {
    const file = csv([
      [
        '缴款流水号',
        '统一社会信用代码',
        '缴款单位名称',
        '缴款日期',
        '案件编号',
        '处罚决定书文号',
        '执收单位',
        '缴款金额（元）',
        '收款银行',
        '票据号',
      ],
      [
        'FS-1',
        sampleUscc(31),
        '甲商贸有限公司',
        '2026-03-10',
        'CASE-9',
        '工商罚〔2026〕9号',
        '工商局',
        '"1,500.50"',
        '农业银行县支行',
        'PJ-9',
      ],
      [
        'FS-2',
        sampleUscc(32),
        '乙建筑公司',
        '2026-03-10',
        'CASE-8',
        '城管罚〔2026〕8号',
        '县城管局',
        '2000',
        '农业银行县支行',
        'PJ-8',
      ],
    ]);
    const market = await importFile('market-supervision', 'CZJ', file);
    expect(market.body).toMatchObject({ format: 'czj-payment', accepted: 1, rejected: 1 });
    expect(market.body.rows[1]!.errors).toContainEqual(
      expect.objectContaining({ rule: 'AGENCY_NOT_IN_SERVICE' }),
    );
    const urban = await importFile('urban-construction', 'CZJ', file);
    expect(urban.body).toMatchObject({ accepted: 1, rejected: 1 });
    const payments = await waitFor(async () => {
      const found = await events((e) => e.agency === 'CZJ');
      return found.length >= 2 ? found : undefined;
    });
    expect(payments.find((p) => p.source.recordId === 'FS-1')!.paymentReceived).toMatchObject({
      decidingAgency: 'GSJ',
      amountFen: 150050,
    });
  });

  it('accepts a well-formed row in every department mapping of every service', async () => {
    const services = {
      'market-supervision': MARKET_SUPERVISION,
      'urban-construction': URBAN_CONSTRUCTION,
      'public-safety': PUBLIC_SAFETY,
    };
    let checked = 0;
    for (const [service, definition] of Object.entries(services)) {
      for (const mapping of definition.mappings) {
        const file = sampleFile(mapping, definition.agencies, checked);
        if (file === undefined) continue;
        const res = await importFile(service, mapping.agency, file, { format: mapping.id });
        expect(res.body, `${mapping.id}: ${JSON.stringify(res.body)}`).toMatchObject({
          accepted: 1,
          rejected: 0,
        });
        checked += 1;
      }
    }
    const departments = new Set([...Object.values(services)].flatMap((d) => d.mappings.map((m) => m.agency)));
    for (const d of [
      ...MARKET_SUPERVISION.agencies,
      ...URBAN_CONSTRUCTION.agencies,
      ...PUBLIC_SAFETY.agencies,
    ]) {
      expect(departments.has(d), `${d} has a mapping`).toBe(true);
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('imports the sample exports shipped in services/*/samples as documented', async () => {
    const sample = (service: string, name: string) =>
      readFileSync(fileURLToPath(new URL(`../services/${service}/samples/${name}`, import.meta.url)));
    const cases: [string, string, string, { accepted: number; rejected: number }][] = [
      ['market-supervision', 'GSJ', 'gsj-random-inspection.csv', { accepted: 3, rejected: 0 }],
      ['market-supervision', 'GSJ', 'gsj-random-inspection-with-errors.csv', { accepted: 1, rejected: 3 }],
      ['market-supervision', 'SYJ', 'syj-food-inspection.gbk.csv', { accepted: 2, rejected: 0 }],
      ['market-supervision', 'CZJ', 'czj-payment.csv', { accepted: 1, rejected: 1 }],
      ['urban-construction', 'CGJ', 'cgj-patrol.csv', { accepted: 2, rejected: 0 }],
      ['urban-construction', 'CZJ', 'czj-payment.csv', { accepted: 1, rejected: 1 }],
      ['public-safety', 'XFDD', 'xfdd-fire-inspection.csv', { accepted: 2, rejected: 0 }],
    ];
    for (const [service, agency, name, expected] of cases) {
      const dir = service === 'urban-construction' && agency === 'CZJ' ? 'market-supervision' : service;
      const res = await importFile(service, agency, sample(dir, name));
      expect(res.body, `${service} ${name}: ${JSON.stringify(res.body)}`).toMatchObject(expected);
    }
  });

  it('refuses bad imports clearly', async () => {
    const file = csv([['抽查编号'], ['1']]);
    const post = (q: Record<string, string>, body: string, type = 'text/csv', t = token) =>
      fetch(`${urls['market-supervision']}/v1/imports?${new URLSearchParams(q).toString()}`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${t}` },
        body,
      });
    expect((await post({ agency: 'GSJ' }, file, 'text/plain')).status).toBe(415);
    expect((await post({ agency: 'GSJ' }, file, 'text/csv', 'nope')).status).toBe(401);
    expect((await post({ agency: 'GSJ', format: 'nope' }, file)).status).toBe(400);
    const mismatch = await post({ agency: 'GSJ' }, file);
    expect(mismatch.status).toBe(400);
    expect(JSON.stringify(await mismatch.json())).toContain('统一社会信用代码');
    expect((await post({ agency: 'CGJ' }, file)).status).toBe(422);
    expect((await post({}, file)).status).toBe(400);
  });

  it('hub import: GBK file, progress, per-row summary in Chinese and English', async () => {
    const path = join(data.path, '巡查记录.csv');
    const [o1, o2] = officersOfAgency('JMZX');
    writeFileSync(
      path,
      iconv.encode(
        csv([
          ['巡查编号', '统一社会信用代码', '商户名称', '巡查日期', '巡查结果', '巡查人员', '执法证号'],
          [
            'XC-1',
            sampleUscc(41),
            '张记水果摊',
            '2026-03-08',
            '正常',
            `${o1!.name}、${o2!.name}`,
            `${o1!.certificateNo}、${o2!.certificateNo}`,
          ],
          ['XC-2', sampleUscc(42), '李记干货', '2026-03-08', '正常', o1!.name, o1!.certificateNo],
        ]),
        'gbk',
      ),
    );
    const args = [
      HUB_CLI,
      'import',
      '--agency',
      'JMZX',
      path,
      '--url',
      urls['market-supervision']!,
      '--token',
      token,
    ];
    const first = await run(process.execPath, args).catch((e: { code: number; stdout: string }) => e);
    expect((first as { code?: number }).code).toBe(2);
    expect(first.stdout).toContain('第 3 行 (row 3) [XC-2] 拒绝 rejected');
    expect(first.stdout).toContain('接受 accepted 1, 重复 duplicate 0, 拒绝 rejected 1');
    // In chunks of one row: row numbers still count from the file's header.
    const second = await run(process.execPath, [...args, '--chunk', '1']).catch((e: { stdout: string }) => e);
    expect(second.stdout).toContain('第 3 行 (row 3) [XC-2] 拒绝 rejected');
    expect(second.stdout).toContain('接受 accepted 0, 重复 duplicate 1, 拒绝 rejected 1');

    // The finance bureau's export goes to several services; each row counts where it was taken.
    const payments = fileURLToPath(
      new URL('../services/market-supervision/samples/czj-payment.csv', import.meta.url),
    );
    const both = `${urls['market-supervision']},${urls['urban-construction']}`;
    const paid = await run(process.execPath, [
      HUB_CLI,
      'import',
      '--agency',
      'CZJ',
      payments,
      '--url',
      both,
      '--token',
      token,
    ]);
    expect(paid.stdout).toMatch(
      /接受 accepted 0, 重复 duplicate 2, 拒绝 rejected 0|接受 accepted 2, 重复 duplicate 0, 拒绝 rejected 0/,
    );
  });
});

/** A one-row file for a mapping, with values valid for its department; undefined if none can be. */
function sampleFile(mapping: CsvMapping, agencies: readonly string[], n: number): string | undefined {
  const kind = KINDS[mapping.kind];
  const header = (col: string) => mapping.headers?.[col]?.[0] ?? kind.columns[col]![0]!;
  const officers = officersOfAgency(mapping.agency).slice(0, 2);
  const matter = mapping.defaults?.matters ?? mattersOfAgency(mapping.agency)[0]?.code;
  const deciding = agencies[0]!;
  const values: Record<string, string | undefined> = {
    recordId: `ALL-${mapping.id}-${n}`,
    uscc: sampleUscc(500 + n),
    name: '样例企业',
    date: '2026-03-09 10:00',
    reason: '日常检查',
    result: '未发现问题',
    matters: matter,
    officerNames: officers.map((o) => o.name).join('、'),
    officerCerts: officers.map((o) => o.certificateNo).join('、'),
    caseId: `CASE-${n}`,
    decisionNo: `罚〔2026〕${n}号`,
    violation: matter,
    basis: '《行政处罚法》第二十八条',
    amount: '1000',
    summary: '群众反映问题',
    deciding: AGENCIES[deciding]!.name,
    bank: '农业银行县支行',
    receipt: `PJ-${n}`,
  };
  const columns = Object.keys(kind.columns).filter((c) => values[c] !== undefined);
  if (kind.required.some((c) => values[c] === undefined && mapping.defaults?.[c] === undefined))
    return undefined;
  return csv([columns.map(header), columns.map((c) => values[c]!)]);
}
