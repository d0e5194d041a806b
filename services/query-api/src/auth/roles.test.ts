import { describe, expect, it } from 'vitest';
import { accessTo, parseRole, seesPersonalDataOf, type Principal } from './roles.js';

const as = (...roles: Principal['roles']): Principal => ({ tokenId: 'tok_test', roles });

describe('roles', () => {
  it('parses office and agency scopes, and nothing else', () => {
    expect(parseRole('committee')).toBe('committee');
    expect(parseRole('agency:GSJ')).toBe('agency:GSJ');
    expect(parseRole('agency:NOPE')).toBeUndefined();
    expect(parseRole('ingest:GSJ')).toBeUndefined();
  });

  it('grants a resource when any of the roles allows it', () => {
    expect(accessTo(as('consulting'), 'business.history')).toEqual({ kind: 'denied' });
    expect(accessTo(as('consulting', 'agency:GSJ'), 'business.history')).toEqual({ kind: 'all' });
    expect(accessTo(as(), 'business.search')).toEqual({ kind: 'denied' });
  });

  it('limits an agency to its own rows where the matrix says so', () => {
    expect(accessTo(as('agency:GSJ', 'agency:SYJ'), 'transfer.list')).toEqual({
      kind: 'agencies',
      agencies: ['GSJ', 'SYJ'],
    });
    expect(accessTo(as('agency:GSJ', 'execution'), 'transfer.list')).toEqual({ kind: 'all' });
    expect(accessTo(as('agency:GSJ'), 'access-log.read')).toEqual({ kind: 'denied' });
  });

  it('limits alerts to those concerning the agency, and the pre-visit check to its own plans', () => {
    expect(accessTo(as('agency:GSJ'), 'alert.list')).toEqual({ kind: 'agencies', agencies: ['GSJ'] });
    expect(accessTo(as('consulting'), 'alert.list')).toEqual({ kind: 'all' });
    expect(accessTo(as('consulting'), 'inspection.check')).toEqual({ kind: 'denied' });
    expect(accessTo(as('agency:SYJ'), 'inspection.check')).toEqual({ kind: 'agencies', agencies: ['SYJ'] });
  });

  it('shows personal data to the supervision office and the recording agency only', () => {
    expect(seesPersonalDataOf(as('supervision'), 'GSJ')).toBe(true);
    expect(seesPersonalDataOf(as('agency:GSJ'), 'GSJ')).toBe(true);
    expect(seesPersonalDataOf(as('agency:SYJ', 'committee', 'auditor'), 'GSJ')).toBe(false);
  });

  it('legal affairs reads files and clocks; the procuratorate reads transfers and clocks only', () => {
    expect(accessTo(as('legal'), 'business.history')).toEqual({ kind: 'all' });
    expect(accessTo(as('legal'), 'clock.list')).toEqual({ kind: 'all' });
    expect(accessTo(as('legal'), 'access-log.read')).toEqual({ kind: 'denied' });
    expect(accessTo(as('procuratorate'), 'transfer.list')).toEqual({ kind: 'all' });
    expect(accessTo(as('procuratorate'), 'clock.list')).toEqual({ kind: 'all' });
    for (const r of [
      'business.search',
      'business.history',
      'alert.list',
      'complaint.list',
      'agency.figures',
    ] as const)
      expect(accessTo(as('procuratorate'), r), r).toEqual({ kind: 'denied' });
    expect(seesPersonalDataOf(as('procuratorate', 'legal'), 'GSJ')).toBe(false);
    expect(parseRole('procuratorate')).toBe('procuratorate');
  });
});
