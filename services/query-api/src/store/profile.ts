/**
 * A business's profile (企业档案): the business, which agencies dealt with it and how often, and
 * its most recent inspections, penalty cases, transfers and complaints.
 */
import type { Kysely } from 'kysely';
import type { ReadModelDatabase } from '@hub/read-model';
import { getBusiness, type BusinessSummary } from './businesses.js';
import {
  toComplaint,
  toInspection,
  toPenaltyCase,
  toTransfer,
  type ComplaintRecord,
  type InspectionRecord,
  type PenaltyCaseRecord,
  type TransferRecord,
} from './records.js';

export interface AgencyInvolvement {
  agency: string;
  eventCount: number;
  lastOccurredAt: string;
}

export interface BusinessProfile {
  business: BusinessSummary;
  agencies: AgencyInvolvement[];
  recentInspections: InspectionRecord[];
  penaltyCases: PenaltyCaseRecord[];
  transfers: TransferRecord[];
  recentComplaints: ComplaintRecord[];
}

/** How many of each list the profile carries; the history has the rest. */
export const PROFILE_RECENT = 20;

export async function getProfile(
  db: Kysely<ReadModelDatabase>,
  uscc: string,
): Promise<BusinessProfile | undefined> {
  const business = await getBusiness(db, uscc);
  if (!business) return undefined;
  const [agencies, inspections, cases, transfers, complaints] = await Promise.all([
    db
      .selectFrom('timeline')
      .select(({ fn }) => ['agency', fn.countAll<number>().as('n'), fn.max('occurred_at').as('last')])
      .where('uscc', '=', uscc)
      .groupBy('agency')
      .orderBy('agency')
      .execute(),
    db
      .selectFrom('inspections')
      .selectAll()
      .where('uscc', '=', uscc)
      .orderBy('last_seq', 'desc')
      .limit(PROFILE_RECENT)
      .execute(),
    db
      .selectFrom('penalty_cases')
      .selectAll()
      .where('uscc', '=', uscc)
      .orderBy('last_seq', 'desc')
      .limit(PROFILE_RECENT)
      .execute(),
    db
      .selectFrom('transfers')
      .selectAll()
      .where('uscc', '=', uscc)
      .orderBy('transferred_at', 'desc')
      .limit(PROFILE_RECENT)
      .execute(),
    db
      .selectFrom('complaints')
      .selectAll()
      .where('uscc', '=', uscc)
      .orderBy('received_at', 'desc')
      .limit(PROFILE_RECENT)
      .execute(),
  ]);
  return {
    business,
    agencies: agencies.map((a) => ({
      agency: a.agency,
      eventCount: Number(a.n),
      lastOccurredAt: String(a.last),
    })),
    recentInspections: inspections.map(toInspection),
    penaltyCases: cases.map(toPenaltyCase),
    transfers: transfers.map(toTransfer),
    recentComplaints: complaints.map(toComplaint),
  };
}
