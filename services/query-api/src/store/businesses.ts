/**
 * Businesses: search by code or by name (Chinese; prefix matches first, then contains), and the
 * profile — the business, the agencies that dealt with it, and its inspections, penalty cases,
 * transfers and complaints in summary.
 */
import { sql, type Kysely } from 'kysely';
import type { BusinessesTable, ReadModelDatabase } from '@hub/read-model';

export interface BusinessSummary {
  uscc: string;
  name: string | null;
  address: string | null;
  agencies: string[];
  firstSeenAt: string;
  lastEventAt: string;
  eventCount: number;
  inspectionCount: number;
  penaltyCaseCount: number;
  complaintCount: number;
  transferCount: number;
  /** Events about the business held back as dead letters: its history may be incomplete. */
  deadLetterCount: number;
}

export const toSummary = (b: BusinessesTable): BusinessSummary => ({
  uscc: b.uscc,
  name: b.name,
  address: b.address,
  agencies: JSON.parse(b.agencies_json) as string[],
  firstSeenAt: b.first_seen_at,
  lastEventAt: b.last_event_at,
  eventCount: Number(b.event_count),
  inspectionCount: Number(b.inspection_count),
  penaltyCaseCount: Number(b.penalty_case_count),
  complaintCount: Number(b.complaint_count),
  transferCount: Number(b.transfer_count),
  deadLetterCount: Number(b.dead_letter_count),
});

export async function getBusiness(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
): Promise<BusinessSummary | undefined> {
  const row = await db.selectFrom('businesses').selectAll().where('uscc', '=', uscc).executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

/** The business's name (null when no event gave one), or undefined when the hub does not know it. */
export async function getBusinessName(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
): Promise<{ name: string | null } | undefined> {
  return db.selectFrom('businesses').select('name').where('uscc', '=', uscc).executeTakeFirst();
}

/** Sort key of a search hit: rank (0 code match, 1 name prefix, 2 name contains), name, code. */
export type SearchKey = readonly [number, string, string];

export interface SearchOptions {
  q: string;
  after?: SearchKey | undefined;
  limit: number;
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Finds businesses whose code starts with `q` or whose name contains it; name prefixes rank
 * before other name matches. LIKE with an explicit ESCAPE is portable (SQLite and PostgreSQL).
 *
 * @example
 * await searchBusinesses(db, { q: '示例商贸', limit: 20 });
 */
export async function searchBusinesses(
  db: Kysely<ReadModelDatabase>,
  opts: SearchOptions,
): Promise<{
  hits: (BusinessSummary & { match: 'code' | 'name-prefix' | 'name' })[];
  next: SearchKey | undefined;
}> {
  const q = escapeLike(opts.q);
  const rank = sql<number>`case
      when uscc like ${`${q.toUpperCase()}%`} escape '\\' then 0
      when name like ${`${q}%`} escape '\\' then 1
      else 2 end`;
  const sortName = sql<string>`coalesce(name, '')`;
  let query = db
    .selectFrom('businesses')
    .selectAll()
    .select([rank.as('rank'), sortName.as('sort_name')])
    .where((eb) =>
      eb.or([
        eb('uscc', 'like', sql<string>`${`${q.toUpperCase()}%`} escape '\\'`),
        eb('name', 'like', sql<string>`${`%${q}%`} escape '\\'`),
      ]),
    );
  const after = opts.after;
  if (after) {
    query = query.where(sql<boolean>`(${rank}, ${sortName}, uscc) > (${after[0]}, ${after[1]}, ${after[2]})`);
  }
  const rows = await query
    .orderBy('rank')
    .orderBy('sort_name')
    .orderBy('uscc')
    .limit(opts.limit + 1)
    .execute();
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return {
    hits: page.map((r) => ({
      ...toSummary(r),
      match: r.rank === 0 ? 'code' : r.rank === 1 ? 'name-prefix' : 'name',
    })),
    next: rows.length > opts.limit && last ? [Number(last.rank), last.sort_name, last.uscc] : undefined,
  };
}
