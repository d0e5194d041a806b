import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agenciesOfService, DOMAINS } from '../agencies.js';
import {
  CATALOGUES,
  CURRENT_CATALOGUE,
  catalogueCanonicalJson,
  catalogueOf,
  catalogueToJson,
  catalogueVersionPublishedPayload,
  findMatter,
  mattersLedBy,
  mattersOfAgency,
  mayEnforce,
  parseCatalogue,
  sha256Hex,
} from './index.js';
import { CATALOGUE_2026_1 } from './catalogue-2026-1.js';

const JSON_FILE = fileURLToPath(new URL('../../data/catalogue/2026.1.json', import.meta.url));

describe('sha256Hex', () => {
  it('matches node:crypto on ASCII, Chinese text and block boundaries', () => {
    for (const s of [
      '',
      'abc',
      '执法事项目录',
      'x'.repeat(55),
      'x'.repeat(56),
      'y'.repeat(64),
      'z'.repeat(1000),
    ]) {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }
  });
});

describe('catalogue 2026.1', () => {
  const c = CURRENT_CATALOGUE;

  it('has at least 60 matters across all six domains', () => {
    expect(c.matters.length).toBeGreaterThanOrEqual(60);
    for (const d of Object.keys(DOMAINS)) expect(c.matters.some((m) => String(m.domain) === d)).toBe(true);
  });

  it('gives every agency of the three agency services at least two matters to lead', () => {
    const agencies = [
      ...agenciesOfService('market-supervision'),
      ...agenciesOfService('urban-construction'),
      ...agenciesOfService('public-safety'),
    ];
    expect(agencies).toHaveLength(14);
    for (const a of agencies) expect(mattersLedBy(a).length, a).toBeGreaterThanOrEqual(2);
  });

  it('keeps the nine codes of the first draft with their lead bodies', () => {
    const kept = {
      'D6-GSJ-001': 'GSJ',
      'D6-GSJ-002': 'GSJ',
      'D6-ZJJ-001': 'ZJJ',
      'D1-SYJ-001': 'SYJ',
      'D3-CGJ-001': 'CGJ',
      'D3-SWJ-001': 'SWJ',
      'D5-XFDD-001': 'XFDD',
      'D5-AJJ-001': 'AJJ',
      'D5-JTJ-001': 'JTJ',
    };
    for (const [code, lead] of Object.entries(kept)) expect(findMatter(code)?.leadAgency).toBe(lead);
  });

  it('answers mayEnforce and mattersOfAgency as before', () => {
    expect(mayEnforce('GSJ', 'D6-GSJ-001')).toBe(true);
    expect(mayEnforce('JMZX', 'D6-GSJ-001')).toBe(true);
    expect(mayEnforce('CGJ', 'D6-GSJ-001')).toBe(false);
    expect(mayEnforce('GSJ', 'NO-SUCH-001')).toBe(false);
    expect(mattersOfAgency('JMZX').map((m) => m.code)).toContain('D6-GSJ-001');
  });

  it('is identified by the sha256 of its canonical JSON, named in the publication event', () => {
    expect(c.sha256).toBe(createHash('sha256').update(catalogueCanonicalJson(c)).digest('hex'));
    expect(catalogueVersionPublishedPayload()).toEqual({
      version: '2026.1',
      sha256: c.sha256,
      matterCount: c.matters.length,
    });
    expect(catalogueOf('2026.1')).toBe(c);
    expect(catalogueOf('1999.1')).toBeUndefined();
    expect(CATALOGUES.at(-1)).toBe(c);
  });

  it('does not depend on the order of the matters in the data', () => {
    const reversed = parseCatalogue({
      ...CATALOGUE_2026_1,
      matters: [...CATALOGUE_2026_1.matters].reverse(),
    });
    expect(reversed.ok && reversed.value.sha256).toBe(c.sha256);
  });

  it('is mirrored in shared/domain/data/catalogue/2026.1.json (UPDATE_CATALOGUE_JSON=1 rewrites it)', () => {
    const text = `${JSON.stringify(catalogueToJson(c), null, 2)}\n`;
    if (process.env.UPDATE_CATALOGUE_JSON === '1') {
      mkdirSync(fileURLToPath(new URL('.', `file://${JSON_FILE}`)), { recursive: true });
      writeFileSync(JSON_FILE, text);
    }
    const onDisk = JSON.parse(readFileSync(JSON_FILE, 'utf8'));
    expect(onDisk).toEqual(JSON.parse(text));
    const { sha256: _sha, ...raw } = onDisk;
    const reloaded = parseCatalogue(raw);
    expect(reloaded.ok && reloaded.value.sha256).toBe(c.sha256);
  });
});

describe('parseCatalogue rejects bad data, naming the field', () => {
  const base = CATALOGUE_2026_1.matters[0]!;
  const bad = (patch: object) =>
    parseCatalogue({ version: '2026.9', title: 't', matters: [{ ...base, ...patch }] });

  it.each([
    [{ code: 'X-1' }, 'matters.0.code'],
    [{ domain: 3 }, 'matters.0.domain'],
    [{ leadAgency: 'GSJ' }, 'matters.0.leadAgency'],
    [{ leadAgency: 'NOPE' }, 'matters.0.leadAgency'],
    [{ cooperatingAgencies: ['SYJ'] }, 'matters.0.cooperatingAgencies'],
    [{ cooperatingAgencies: ['CZJ'] }, 'matters.0.cooperatingAgencies.0'],
    [{ legalBasis: '' }, 'matters.0.legalBasis'],
  ])('%j → %s', (patch, field) => {
    const r = bad(patch);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field)).toContain(field);
  });

  it('rejects duplicate codes', () => {
    const r = parseCatalogue({ version: '2026.9', title: 't', matters: [base, base] });
    expect(!r.ok && r.issues[0]?.message).toMatch(/重复/);
  });
});
