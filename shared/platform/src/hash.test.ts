import { describe, expect, it } from 'vitest';
import { alertIdOf, CURRENT_CATALOGUE, parseCatalogue, catalogueToJson, PURE_PORTS } from '@hub/domain';
import { NODE_PORTS, sha256Hex } from './hash.js';

describe('hash port (node:crypto)', () => {
  it('gives the same digests as the domain’s pure fallback', () => {
    const texts = ['', 'abc', '示例商贸有限公司', 'x'.repeat(1000), `a\nb\u{1F600}`, 'é'.repeat(63)];
    for (const t of texts) expect(sha256Hex(t)).toBe(PURE_PORTS.sha256(t));
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('so alert ids and the catalogue checksum do not depend on which one is passed', () => {
    const causes = ['B:91350100M000100Y43', 'I:SYJ/S-1', 'I:GSJ/G-1'];
    expect(alertIdOf('duplicate_inspection', causes, NODE_PORTS.sha256)).toBe(
      alertIdOf('duplicate_inspection', causes),
    );
    const raw = catalogueToJson(CURRENT_CATALOGUE);
    const parsed = parseCatalogue(
      { version: raw.version, title: raw.title, matters: raw.matters },
      NODE_PORTS,
    );
    expect(parsed.ok && parsed.value.sha256).toBe(CURRENT_CATALOGUE.sha256);
  });
});
