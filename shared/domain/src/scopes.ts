/**
 * Token scopes: what a bearer token may do. One flat list of strings so that the ingest side
 * (agency services) and the read side (query API roles) share one token store.
 *
 * - `ingest:<AGENCY>` — may submit records for that department (`ingest:*`: every department);
 * - `committee`, `consulting`, `execution`, `supervision`, `auditor` — the committee's offices;
 *   `legal` (法制办) and `procuratorate` (检察院);
 * - `agency:<AGENCY>` — one department reading the hub (query API role).
 *
 * @example
 * parseScope('ingest:GSJ');            // { ok: true, scope: 'ingest:GSJ' }
 * mayIngestFor(['ingest:GSJ'], 'GSJ'); // true
 * mayIngestFor(['committee'], 'GSJ');  // false
 */
import { isAgencyCode } from './agencies.js';

export const OFFICE_SCOPES = [
  'committee',
  'consulting',
  'execution',
  'supervision',
  'auditor',
  // 法制办 (legal affairs: 法制审核, 案卷评查) and 检察院 (立案监督: transfers and their clocks only).
  'legal',
  'procuratorate',
] as const;
export type OfficeScope = (typeof OFFICE_SCOPES)[number];
export type Scope = OfficeScope | `agency:${string}` | `ingest:${string}`;

export type ScopeCheck = { ok: true; scope: Scope } | { ok: false; message: string };

/** Checks one scope string; agency codes must be known. */
export function parseScope(input: string): ScopeCheck {
  const s = input.trim();
  if ((OFFICE_SCOPES as readonly string[]).includes(s)) return { ok: true, scope: s as OfficeScope };
  const [kind, code = ''] = s.split(':', 2);
  if (kind === 'ingest' && code === '*') return { ok: true, scope: 'ingest:*' };
  if ((kind === 'ingest' || kind === 'agency') && isAgencyCode(code))
    return { ok: true, scope: `${kind}:${code}` };
  return {
    ok: false,
    message: `未知的权限范围 (unknown scope): "${s}" — 可用 (use) ${OFFICE_SCOPES.join(', ')}, agency:<代码 code>, ingest:<代码 code>, ingest:*`,
  };
}

/** Whether a token with these scopes may submit records for the agency. */
export const mayIngestFor = (scopes: readonly string[], agency: string): boolean =>
  scopes.includes('ingest:*') || scopes.includes(`ingest:${agency}`);

/** The agencies a token may submit for; `'*'` when all. */
export function ingestAgencies(scopes: readonly string[]): readonly string[] | '*' {
  if (scopes.includes('ingest:*')) return '*';
  return scopes.filter((s) => s.startsWith('ingest:')).map((s) => s.slice('ingest:'.length));
}

/** The read-side roles among the scopes (everything but `ingest:*`). */
export const roleScopes = (scopes: readonly string[]): string[] =>
  scopes.filter((s) => !s.startsWith('ingest:'));
