/** What the signed-in token may read, from `GET /v1/me`'s `may` (the API's own role matrix). */
import type { Me } from './types';

export const mayRead = (me: Me | undefined, resource: string | undefined): boolean =>
  resource === undefined || (me !== undefined && (me.may[resource] ?? 'none') !== 'none');

/** Agencies the token may act for (acknowledge, resolve) among those given. */
export function actingAgencies(me: Me | undefined, among: readonly string[]): string[] {
  if (!me) return [];
  if (me.ingest === '*') return [...among];
  const ingest = me.ingest;
  return among.filter((a) => ingest.includes(a));
}
