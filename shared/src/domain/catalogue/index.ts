/**
 * 执法事项目录 — the enforcement matter catalogue: for each matter its legal basis, domain,
 * lead body (执法主体) and cooperating departments (配合部门). Versioned data: a new version
 * is a new file and a CatalogueVersionPublished event.
 *
 * @example
 * findMatter('D6-GSJ-001')?.leadAgency; // 'GSJ'
 * mayEnforce('CGJ', 'D6-GSJ-001');     // false: not the lead body nor a cooperating one
 */
import type { DomainNo } from '../agencies.js';
import { MATTERS_V1 } from './matters-v1.js';

export interface Matter {
  readonly code: string;
  readonly name: string;
  readonly legalBasis: string;
  readonly domain: DomainNo;
  readonly leadAgency: string;
  readonly cooperatingAgencies: readonly string[];
}

export interface Catalogue {
  readonly version: string;
  readonly matters: readonly Matter[];
}

export const CURRENT_CATALOGUE: Catalogue = Object.freeze({ version: '2026.1', matters: MATTERS_V1 });

const BY_CODE: ReadonlyMap<string, Matter> = new Map(CURRENT_CATALOGUE.matters.map((m) => [m.code, m]));

export const findMatter = (code: string): Matter | undefined => BY_CODE.get(code);

/** An agency may act on a matter when it is its lead body or a cooperating department. */
export function mayEnforce(agency: string, code: string): boolean {
  const matter = BY_CODE.get(code);
  return matter !== undefined && (matter.leadAgency === agency || matter.cooperatingAgencies.includes(agency));
}

export const mattersOfAgency = (agency: string): Matter[] =>
  CURRENT_CATALOGUE.matters.filter((m) => m.leadAgency === agency || m.cooperatingAgencies.includes(agency));
