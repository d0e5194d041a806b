import { describe, expect, it } from 'vitest';
import { AGENCIES, AGENCY_CODES } from '../agencies.js';
import { checkOfficer, officersOfAgency } from './index.js';

describe('officer registry', () => {
  it('validates a certificate at the time of the act, by day in Asia/Shanghai', () => {
    const who = { certificateNo: 'GSJ-0009', name: '陈海燕' };
    expect(checkOfficer(who, '2025-12-31T15:59:59.000Z').ok).toBe(true); // 23:59:59 on 31 Dec, +08:00
    expect(checkOfficer(who, '2025-12-31T16:00:00.000Z')).toMatchObject({ ok: false, reason: 'expired' });
    expect(
      checkOfficer({ certificateNo: 'GSJ-0001', name: '张明' }, '2023-12-31T00:00:00.000Z'),
    ).toMatchObject({
      ok: false,
      reason: 'not-yet-valid',
    });
    expect(
      checkOfficer({ certificateNo: 'GSJ-0001', name: '李华' }, '2026-03-02T00:00:00.000Z'),
    ).toMatchObject({
      reason: 'name-mismatch',
    });
    expect(checkOfficer({ certificateNo: 'X-1', name: '张明' }, '2026-03-02T00:00:00.000Z')).toMatchObject({
      reason: 'unregistered',
    });
  });

  it('has at least two valid officers for every enforcement department', () => {
    const enforcing = AGENCY_CODES.filter(
      (c) => AGENCIES[c]?.kind === 'enforcement' || AGENCIES[c]?.kind === 'police',
    );
    for (const code of enforcing) {
      const valid = officersOfAgency(code).filter((o) => checkOfficer(o, '2026-06-01T00:00:00.000Z').ok);
      expect(valid.length, code).toBeGreaterThanOrEqual(2);
    }
  });
});
