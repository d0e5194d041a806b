/**
 * Lists across businesses, newest first with keyset pagination: published penalty decisions
 * (公示), transfers to police (两法衔接) and complaints (投诉举报).
 */
import { sql, type Kysely } from 'kysely';
import type { ReadModelDatabase } from '@hub/read-model';
import {
  toComplaint,
  toPenaltyCase,
  toTransfer,
  type ComplaintRecord,
  type TransferRecord,
} from './records.js';

/** Sort key of the last row of a page: time, agency, id (and transfer no). */
export type ListKey = readonly string[];

interface Paging {
  after?: ListKey | undefined;
  limit: number;
}

interface Common extends Paging {
  agencies?: readonly string[] | undefined;
  uscc?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const DAY_MS = 86_400_000;

const pageOf = <R, K>(rows: R[], limit: number, keyOf: (r: R) => K): { rows: R[]; next: K | undefined } => {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last !== undefined ? keyOf(last) : undefined };
};

/** A published decision as shown to the public: no personal data of the party. */
export interface PublishedDecision {
  agency: string;
  caseId: string;
  decisionNo: string | null;
  uscc: string;
  businessName: string | null;
  violationCode: string | null;
  legalBasisArticles: string[];
  amountFen: number | null;
  otherSanctions: string[];
  decidedAt: string | null;
  publishedAt: string;
}

/** Decisions published (公示) and not revoked. */
export async function listPublishedDecisions(
  db: Kysely<ReadModelDatabase>,
  opts: Common,
): Promise<{ decisions: PublishedDecision[]; next: ListKey | undefined }> {
  let q = db
    .selectFrom('penalty_cases as p')
    .leftJoin('businesses as b', 'b.uscc', 'p.uscc')
    .selectAll('p')
    .select('b.name as business_name')
    .where('p.published_at', 'is not', null)
    .where('p.revoked_at', 'is', null);
  if (opts.agencies?.length) q = q.where('p.agency', 'in', opts.agencies);
  if (opts.uscc !== undefined) q = q.where('p.uscc', '=', opts.uscc);
  if (opts.from !== undefined) q = q.where('p.published_at', '>=', opts.from);
  if (opts.to !== undefined) q = q.where('p.published_at', '<=', opts.to);
  const a = opts.after;
  if (a) q = q.where(sql<boolean>`(p.published_at, p.agency, p.case_id) < (${a[0]}, ${a[1]}, ${a[2]})`);
  const rows = await q
    .orderBy('p.published_at', 'desc')
    .orderBy('p.agency', 'desc')
    .orderBy('p.case_id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  const { rows: page, next } = pageOf(rows, opts.limit, (r) => [r.published_at ?? '', r.agency, r.case_id]);
  return {
    decisions: page.map((r) => {
      const c = toPenaltyCase(r);
      return {
        agency: c.agency,
        caseId: c.caseId,
        decisionNo: c.decisionNo,
        uscc: c.uscc,
        businessName: r.business_name,
        violationCode: c.violationCode,
        legalBasisArticles: c.legalBasisArticles,
        amountFen: c.amountFen,
        otherSanctions: c.otherSanctions,
        decidedAt: c.decidedAt,
        publishedAt: c.publishedAt ?? '',
      };
    }),
    next,
  };
}

export interface TransferView extends TransferRecord {
  /** Whole days the police have had it without deciding, at `at`; null once decided by then. */
  waitingDays: number | null;
  /** Police decision pending for more than 3 days at `at` (公安机关应在3日内决定是否立案). */
  overdue: boolean;
}

export interface TransferOptions extends Common {
  policeAgencies?: readonly string[] | undefined;
  status?: string | undefined;
  /** Rows of these agencies only, as sender or as receiving police (an agency's own view). */
  involving?: readonly string[] | undefined;
  /** The instant waiting times are measured at (UTC ISO). */
  at: string;
}

/** Waiting state of a transfer at `at`, from its own times only. */
export function waitingAt(t: { transferredAt: string; decidedAt: string | null }, at: string) {
  const pending = t.transferredAt <= at && (t.decidedAt === null || t.decidedAt > at);
  if (!pending) return { waitingDays: null, overdue: false };
  const ms = Date.parse(at) - Date.parse(t.transferredAt);
  return { waitingDays: Math.floor(ms / DAY_MS), overdue: ms > 3 * DAY_MS };
}

export async function listTransfers(
  db: Kysely<ReadModelDatabase>,
  opts: TransferOptions,
): Promise<{ transfers: TransferView[]; next: ListKey | undefined }> {
  let q = db.selectFrom('transfers').selectAll();
  if (opts.agencies?.length) q = q.where('agency', 'in', opts.agencies);
  if (opts.policeAgencies?.length) q = q.where('police_agency', 'in', opts.policeAgencies);
  const involving = opts.involving;
  if (involving) {
    q = q.where((eb) => eb.or([eb('agency', 'in', involving), eb('police_agency', 'in', involving)]));
  }
  if (opts.status !== undefined) q = q.where('status', '=', opts.status as 'transferred');
  if (opts.uscc !== undefined) q = q.where('uscc', '=', opts.uscc);
  if (opts.from !== undefined) q = q.where('transferred_at', '>=', opts.from);
  if (opts.to !== undefined) q = q.where('transferred_at', '<=', opts.to);
  const a = opts.after;
  if (a)
    q = q.where(
      sql<boolean>`(transferred_at, agency, case_id, transfer_no) < (${a[0]}, ${a[1]}, ${a[2]}, ${a[3]})`,
    );
  const rows = await q
    .orderBy('transferred_at', 'desc')
    .orderBy('agency', 'desc')
    .orderBy('case_id', 'desc')
    .orderBy('transfer_no', 'desc')
    .limit(opts.limit + 1)
    .execute();
  const { rows: page, next } = pageOf(rows, opts.limit, (r) => [
    r.transferred_at,
    r.agency,
    r.case_id,
    r.transfer_no,
  ]);
  return {
    transfers: page.map((r) => {
      const t = toTransfer(r);
      return { ...t, ...waitingAt(t, opts.at) };
    }),
    next,
  };
}

export async function listComplaints(
  db: Kysely<ReadModelDatabase>,
  opts: Common,
): Promise<{ complaints: ComplaintRecord[]; next: ListKey | undefined }> {
  let q = db.selectFrom('complaints').selectAll();
  if (opts.agencies?.length) q = q.where('agency', 'in', opts.agencies);
  if (opts.uscc !== undefined) q = q.where('uscc', '=', opts.uscc);
  if (opts.from !== undefined) q = q.where('received_at', '>=', opts.from);
  if (opts.to !== undefined) q = q.where('received_at', '<=', opts.to);
  const a = opts.after;
  if (a) q = q.where(sql<boolean>`(received_at, agency, complaint_id) < (${a[0]}, ${a[1]}, ${a[2]})`);
  const rows = await q
    .orderBy('received_at', 'desc')
    .orderBy('agency', 'desc')
    .orderBy('complaint_id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  const { rows: page, next } = pageOf(rows, opts.limit, (r) => [r.received_at, r.agency, r.complaint_id]);
  return { complaints: page.map(toComplaint), next };
}
