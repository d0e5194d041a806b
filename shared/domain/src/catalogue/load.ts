/**
 * Loads a catalogue version from its raw data: validated with zod, frozen, and identified by
 * the sha256 of its canonical JSON so an event can name exactly which content applied.
 */
import { HubError } from '../errors.js';
import type { DomainNo } from '../agencies.js';
import type { FieldIssue, ParseResult } from '../events.js';
import type { Catalogue, Matter } from './index.js';
import { rawCatalogueSchema } from './schema.js';
import { PURE_PORTS, type DomainPorts } from '../hash.js';
import { canonicalJson } from './sha256.js';

/**
 * Validates raw catalogue data (e.g. a parsed JSON file); issues name the offending field.
 * The checksum is taken through the hash port (the pure fallback when none is given).
 */
export function parseCatalogue(raw: unknown, ports: DomainPorts = PURE_PORTS): ParseResult<Catalogue> {
  const parsed = rawCatalogueSchema.safeParse(raw);
  if (!parsed.success) {
    const issues: FieldIssue[] = parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || '(catalogue)',
      message: i.message,
    }));
    return { ok: false, issues };
  }
  const matters: Matter[] = [...parsed.data.matters]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((m) =>
      Object.freeze({
        ...m,
        domain: m.domain as DomainNo,
        cooperatingAgencies: Object.freeze([...m.cooperatingAgencies]),
      }),
    );
  const body = { version: parsed.data.version, title: parsed.data.title, matters };
  return {
    ok: true,
    value: Object.freeze({
      ...body,
      matters: Object.freeze(matters),
      sha256: ports.sha256(canonicalJson(body)),
      byCode: new Map(matters.map((m) => [m.code, m])),
    }),
  };
}

/** Like `parseCatalogue`, but throws a VALIDATION_FAILED HubError: for data shipped in the repo. */
export function loadCatalogue(raw: unknown, ports: DomainPorts = PURE_PORTS): Catalogue {
  const r = parseCatalogue(raw, ports);
  if (!r.ok)
    throw new HubError('VALIDATION_FAILED', '执法事项目录数据无效 (invalid catalogue data)', {
      issues: r.issues,
    });
  return r.value;
}

/** The JSON form served by `GET /v1/matters` and stored under shared/domain/data/catalogue/. */
export const catalogueToJson = (c: Catalogue) => ({
  version: c.version,
  title: c.title,
  sha256: c.sha256,
  matters: c.matters,
});

/** The exact text the sha256 is taken over. */
export const catalogueCanonicalJson = (c: Catalogue): string =>
  canonicalJson({ version: c.version, title: c.title, matters: c.matters });
