/**
 * 执法事项目录 — the enforcement matter catalogue: for each matter its legal basis, domain,
 * lead body (执法主体) and cooperating departments (配合部门). Versioned data: a new version
 * is a new data file and a CatalogueVersionPublished event naming its version and sha256.
 *
 * @example
 * findMatter('D6-GSJ-001')?.leadAgency; // 'GSJ'
 * mayEnforce('CGJ', 'D6-GSJ-001');     // false: not the lead body nor a cooperating one
 * catalogueVersionPublishedPayload();  // { version: '2026.1', sha256: '…', matterCount: 93 }
 */
import type { DomainNo } from '../agencies.js';
import { CATALOGUE_2026_1 } from './catalogue-2026-1.js';
import { loadCatalogue } from './load.js';

export interface Matter {
  readonly code: string;
  readonly name: string;
  /** English name, shown alongside the Chinese one. */
  readonly en: string;
  readonly legalBasis: string;
  readonly domain: DomainNo;
  readonly leadAgency: string;
  readonly cooperatingAgencies: readonly string[];
}

export interface Catalogue {
  readonly version: string;
  readonly title: string;
  /** Hex sha256 of the canonical JSON of version, title and matters (sorted by code). */
  readonly sha256: string;
  readonly matters: readonly Matter[];
  /** Lookup by code. */
  readonly byCode: ReadonlyMap<string, Matter>;
}

export { parseCatalogue, loadCatalogue, catalogueCanonicalJson, catalogueToJson } from './load.js';
export { rawCatalogueSchema, type RawCatalogue, type RawMatter } from './schema.js';
export { sha256Hex, canonicalJson } from './sha256.js';

/** Every published version, oldest first. Replays pick the one a CatalogueVersionPublished named. */
export const CATALOGUES: readonly Catalogue[] = Object.freeze([loadCatalogue(CATALOGUE_2026_1)]);

export const CURRENT_CATALOGUE: Catalogue = CATALOGUES[CATALOGUES.length - 1]!;

/** A published version by its number; undefined for a version this build does not know. */
export const catalogueOf = (version: string): Catalogue | undefined =>
  CATALOGUES.find((c) => c.version === version);

export const findMatter = (code: string, catalogue: Catalogue = CURRENT_CATALOGUE): Matter | undefined =>
  catalogue.byCode.get(code);

/** An agency may act on a matter when it is its lead body or a cooperating department. */
export function mayEnforce(agency: string, code: string, catalogue: Catalogue = CURRENT_CATALOGUE): boolean {
  const matter = catalogue.byCode.get(code);
  return (
    matter !== undefined && (matter.leadAgency === agency || matter.cooperatingAgencies.includes(agency))
  );
}

export const mattersOfAgency = (agency: string, catalogue: Catalogue = CURRENT_CATALOGUE): Matter[] =>
  catalogue.matters.filter((m) => m.leadAgency === agency || m.cooperatingAgencies.includes(agency));

/** Matters an agency leads (is 执法主体 of). */
export const mattersLedBy = (agency: string, catalogue: Catalogue = CURRENT_CATALOGUE): Matter[] =>
  catalogue.matters.filter((m) => m.leadAgency === agency);

/** The payload of the CatalogueVersionPublished event announcing a version. */
export const catalogueVersionPublishedPayload = (
  catalogue: Catalogue = CURRENT_CATALOGUE,
): { version: string; sha256: string; matterCount: number } => ({
  version: catalogue.version,
  sha256: catalogue.sha256,
  matterCount: catalogue.matters.length,
});
