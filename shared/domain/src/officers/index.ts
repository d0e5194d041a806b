/**
 * 执法人员名录 — the officer registry: who holds an enforcement certificate (执法证), for which
 * department, valid from and to which day (inclusive, Asia/Shanghai). Versioned data: a new
 * version is a new file. An officer without a valid certificate at the time of the act may not
 * take part in an inspection or investigation.
 *
 * @example
 * checkOfficer({ certificateNo: 'GSJ-0001', name: '张明' }, '2026-03-02T02:00:00.000Z');
 * // { ok: true, officer: { agency: 'GSJ', … } }
 * checkOfficer({ certificateNo: 'GSJ-0009', name: '陈海燕' }, '2026-03-02T02:00:00.000Z');
 * // { ok: false, reason: 'expired', … }
 */
import { OFFICERS_V1 } from './officers-v1.js';

export interface Officer {
  readonly certificateNo: string;
  readonly name: string;
  readonly agency: string;
  /** First day of validity, YYYY-MM-DD, Asia/Shanghai. */
  readonly validFrom: string;
  /** Last day of validity (inclusive), YYYY-MM-DD, Asia/Shanghai. */
  readonly validTo: string;
}

export interface OfficerRegistry {
  readonly version: string;
  readonly officers: readonly Officer[];
}

export const CURRENT_OFFICER_REGISTRY: OfficerRegistry = Object.freeze({
  version: '2026.1',
  officers: OFFICERS_V1,
});

const BY_CERT: ReadonlyMap<string, Officer> = new Map(OFFICERS_V1.map((o) => [o.certificateNo, o]));

export const findOfficer = (certificateNo: string): Officer | undefined => BY_CERT.get(certificateNo);

export const officersOfAgency = (agency: string): Officer[] => OFFICERS_V1.filter((o) => o.agency === agency);

export type OfficerCheck =
  | { ok: true; officer: Officer }
  | { ok: false; reason: 'unregistered' | 'name-mismatch' | 'expired' | 'not-yet-valid'; message: string };

const dayStart = (day: string): number => Date.parse(`${day}T00:00:00+08:00`);
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether the certificate is registered to that name and valid at the instant (ISO string). */
export function checkOfficer(who: { certificateNo: string; name: string }, at: string): OfficerCheck {
  const officer = BY_CERT.get(who.certificateNo);
  if (officer === undefined) {
    return {
      ok: false,
      reason: 'unregistered',
      message: `执法证号 ${who.certificateNo} 未登记 (certificate not registered)`,
    };
  }
  if (officer.name !== who.name.trim()) {
    return {
      ok: false,
      reason: 'name-mismatch',
      message: `执法证号 ${who.certificateNo} 登记的姓名不是「${who.name}」 (certificate is registered to another name)`,
    };
  }
  const t = Date.parse(at);
  if (t < dayStart(officer.validFrom)) {
    return {
      ok: false,
      reason: 'not-yet-valid',
      message: `执法证 ${who.certificateNo} 自 ${officer.validFrom} 起有效 (certificate not yet valid at ${at})`,
    };
  }
  if (t >= dayStart(officer.validTo) + DAY_MS) {
    return {
      ok: false,
      reason: 'expired',
      message: `执法证 ${who.certificateNo} 已于 ${officer.validTo} 过期 (certificate expired on ${officer.validTo})`,
    };
  }
  return { ok: true, officer };
}
