/**
 * Roles of the query API and what each may read (the role matrix of docs/roles.md). Pure: a
 * principal is the set of scopes its token carries; a request is allowed when any scope allows it.
 */
import { AGENCIES, OFFICES, OFFICE_SCOPES, isAgencyCode, type OfficeScope } from '@hub/domain';

/** The offices' roles are the token store's office scopes. */
export const OFFICE_ROLES = OFFICE_SCOPES;
export type OfficeRole = OfficeScope;
/** `committee` … `auditor`, or `agency:<CODE>` for one department. */
export type Role = OfficeRole | `agency:${string}`;

export interface Principal {
  /** Id of the token (never the token itself): what the access log records. */
  readonly tokenId: string;
  readonly roles: readonly Role[];
  /** Who holds the token, for the access log. */
  readonly subject?: string | undefined;
  /**
   * Agencies the token may submit events for (its `ingest:` scopes; `'*'` for all): what it may
   * acknowledge or resolve alerts as. Not a read right.
   */
  readonly ingest?: readonly string[] | '*' | undefined;
}

/** What a route reads; the matrix maps each to the roles allowed. */
export type Resource =
  | 'business.search'
  | 'business.profile'
  | 'business.history'
  | 'penalty.published'
  | 'transfer.list'
  | 'complaint.list'
  | 'agency.list'
  | 'agency.figures'
  | 'access-log.read'
  | 'alert.list'
  | 'inspection.check'
  | 'clock.list'
  /** `GET /v1/me`: the token's own roles. */
  | 'self';

type Rule = 'all' | 'own-agency' | 'none';

const EVERYONE: Record<OfficeRole | 'agency', Rule> = {
  committee: 'all',
  consulting: 'all',
  execution: 'all',
  supervision: 'all',
  auditor: 'all',
  legal: 'all',
  // 检察院 reads transfers and their clocks only (立案监督), nothing else.
  procuratorate: 'none',
  agency: 'all',
};

/**
 * The role matrix. `own-agency`: an agency reads only rows it recorded (or, for the police, the
 * transfers sent to it); its figures only for itself.
 */
export const ROLE_MATRIX: Readonly<Record<Resource, Record<OfficeRole | 'agency', Rule>>> = {
  'business.search': EVERYONE,
  // 决策咨询 works on aggregates and published decisions, not on one business's file.
  'business.profile': { ...EVERYONE, consulting: 'none' },
  'business.history': { ...EVERYONE, consulting: 'none' },
  'penalty.published': EVERYONE,
  'transfer.list': { ...EVERYONE, consulting: 'none', procuratorate: 'all', agency: 'own-agency' },
  // Legal clocks (送达、公示、两法衔接): the procuratorate watches the transfer clocks.
  'clock.list': { ...EVERYONE, consulting: 'none', procuratorate: 'all', agency: 'own-agency' },
  'complaint.list': { ...EVERYONE, consulting: 'none' },
  'agency.list': EVERYONE,
  'agency.figures': { ...EVERYONE, agency: 'own-agency' },
  // Issue 5: an agency sees the alerts that concern it (published to it), the offices all.
  'alert.list': { ...EVERYONE, agency: 'own-agency' },
  // The pre-visit check shows a business's recent inspections (like its file): not for consulting;
  // an agency checks only its own planned visits.
  'inspection.check': { ...EVERYONE, consulting: 'none', legal: 'none', agency: 'own-agency' },
  self: { ...EVERYONE, procuratorate: 'all' },
  'access-log.read': {
    committee: 'none',
    consulting: 'none',
    execution: 'none',
    supervision: 'all',
    auditor: 'all',
    legal: 'none',
    procuratorate: 'none',
    agency: 'none',
  },
};

export const agencyOfRole = (role: Role): string | undefined =>
  role.startsWith('agency:') ? role.slice('agency:'.length) : undefined;

const kindOf = (role: Role): OfficeRole | 'agency' =>
  agencyOfRole(role) !== undefined ? 'agency' : (role as OfficeRole);

/** Parses a scope string from the token store; undefined when it names no role we know. */
export function parseRole(scope: string): Role | undefined {
  if ((OFFICE_ROLES as readonly string[]).includes(scope)) return scope as OfficeRole;
  const agency = scope.startsWith('agency:') ? scope.slice('agency:'.length) : undefined;
  return agency !== undefined && isAgencyCode(agency) ? `agency:${agency}` : undefined;
}

export type Access =
  | { kind: 'all' }
  /** Limited to these agencies' own rows. */
  | { kind: 'agencies'; agencies: readonly string[] }
  | { kind: 'denied' };

/** What the principal may read of a resource: everything, its agencies' rows, or nothing. */
export function accessTo(principal: Principal, resource: Resource): Access {
  const own: string[] = [];
  for (const role of principal.roles) {
    const rule = ROLE_MATRIX[resource][kindOf(role)];
    if (rule === 'all') return { kind: 'all' };
    const agency = agencyOfRole(role);
    if (rule === 'own-agency' && agency !== undefined) own.push(agency);
  }
  return own.length > 0 ? { kind: 'agencies', agencies: own } : { kind: 'denied' };
}

/** Every resource and what the principal may read of it: the `may` of `GET /v1/me`. */
export function accessSummary(principal: Principal): Record<Resource, 'all' | 'own' | 'none'> {
  const out = {} as Record<Resource, 'all' | 'own' | 'none'>;
  for (const resource of Object.keys(ROLE_MATRIX) as Resource[]) {
    const access = accessTo(principal, resource);
    out[resource] = access.kind === 'all' ? 'all' : access.kind === 'agencies' ? 'own' : 'none';
  }
  return out;
}

/** Whether the principal may submit events for the agency (acknowledge, resolve alerts). */
export const mayActFor = (principal: Principal, agency: string): boolean =>
  principal.ingest === '*' || (principal.ingest ?? []).includes(agency);

/** Personal data is shown in clear to the supervision office and to the agency that recorded it. */
export const seesPersonalDataOf = (principal: Principal, recordingAgency: string): boolean =>
  principal.roles.some((r) => r === 'supervision' || agencyOfRole(r) === recordingAgency);

/** 中文名称 of a role, for docs and errors. */
export function roleName(role: Role): string {
  const agency = agencyOfRole(role);
  if (agency !== undefined) return AGENCIES[agency]?.name ?? agency;
  if (role === 'auditor') return '审计 (auditor)';
  const office = OFFICES[role as keyof typeof OFFICES];
  return `${office.name} (${office.en})`;
}
