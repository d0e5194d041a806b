/**
 * Per-transaction aggregates: a business row and the daily activity counters are touched by
 * many events of a batch, so they are summed in memory and written once at the end of the
 * transaction. The result does not depend on where batches begin and end.
 */
import { AGENCIES } from '@hub/domain';
import type { EntityCounts, ReadModelStore } from '@hub/read-model';
import type { Family } from './facts.js';

interface BusinessDelta {
  name: string | undefined;
  address: string | undefined;
  agencies: Set<string>;
  first: string | undefined;
  last: string | undefined;
  events: number;
  counts: EntityCounts;
  /** A correction or retraction removed or moved entities: count them again. */
  recount: boolean;
  /** Touched without an event (a dead letter recorded or retried): count its dead letters again. */
  deadLetters: boolean;
}

const COUNT_OF: Record<Family, keyof EntityCounts> = {
  inspection: 'inspection_count',
  penalty: 'penalty_case_count',
  transfer: 'transfer_count',
  complaint: 'complaint_count',
};

export interface BatchState {
  touchBusiness(
    uscc: string,
    e?: { name?: string | undefined; address?: string | undefined; agency: string; occurredAt: string },
  ): void; // without `e`: the business's dead letters changed
  entityCreated(uscc: string, family: Family): void;
  recount(uscc: string): void;
  activity(agency: string, day: string, eventType: string, delta: number): void;
  /** Writes the aggregates; call once, inside the transaction, after the last event. */
  flush(store: ReadModelStore): void;
}

export function createBatchState(): BatchState {
  const businesses = new Map<string, BusinessDelta>();
  const activity = new Map<string, number>();
  const delta = (uscc: string): BusinessDelta => {
    let d = businesses.get(uscc);
    if (!d) {
      d = {
        name: undefined,
        address: undefined,
        agencies: new Set(),
        first: undefined,
        last: undefined,
        events: 0,
        counts: { inspection_count: 0, penalty_case_count: 0, complaint_count: 0, transfer_count: 0 },
        recount: false,
        deadLetters: false,
      };
      businesses.set(uscc, d);
    }
    return d;
  };
  return {
    touchBusiness(uscc, e) {
      const d = delta(uscc);
      if (!e) {
        d.deadLetters = true;
        return;
      }
      if (e.name) d.name = e.name;
      if (e.address) d.address = e.address;
      d.agencies.add(e.agency);
      if (d.first === undefined || e.occurredAt < d.first) d.first = e.occurredAt;
      if (d.last === undefined || e.occurredAt > d.last) d.last = e.occurredAt;
      d.events += 1;
    },
    entityCreated: (uscc, family) => void (delta(uscc).counts[COUNT_OF[family]] += 1),
    recount: (uscc) => void (delta(uscc).recount = true),
    activity(agency, day, eventType, n) {
      const key = `${agency}\u0000${day}\u0000${eventType}`;
      activity.set(key, (activity.get(key) ?? 0) + n);
    },
    flush(store) {
      for (const [key, n] of activity) {
        const [agency = '', day = '', type = ''] = key.split('\u0000');
        // Written even when the sum is 0, so the rows do not depend on batch boundaries.
        store.addActivity(agency, day, type, n);
      }
      for (const [uscc, d] of businesses) flushBusiness(store, uscc, d);
    },
  };
}

function flushBusiness(store: ReadModelStore, uscc: string, d: BusinessDelta): void {
  const old = store.get('businesses', { uscc });
  if (!old && d.first === undefined) {
    return; // only dead letters so far: no profile until an event is applied
  }
  const agencies = new Set<string>([
    ...(old ? (JSON.parse(old.agencies_json) as string[]) : []),
    ...d.agencies,
  ]);
  const sortedAgencies = [...agencies].sort();
  const domains = [...new Set(sortedAgencies.flatMap((a) => AGENCIES[a]?.domains ?? []))].sort(
    (a, b) => a - b,
  );
  const counts = d.recount
    ? store.countEntities(uscc)
    : {
        inspection_count: (old?.inspection_count ?? 0) + d.counts.inspection_count,
        penalty_case_count: (old?.penalty_case_count ?? 0) + d.counts.penalty_case_count,
        complaint_count: (old?.complaint_count ?? 0) + d.counts.complaint_count,
        transfer_count: (old?.transfer_count ?? 0) + d.counts.transfer_count,
      };
  const first = old && (d.first === undefined || old.first_seen_at <= d.first) ? old.first_seen_at : d.first;
  const last = old && (d.last === undefined || old.last_event_at >= d.last) ? old.last_event_at : d.last;
  store.put('businesses', {
    uscc,
    name: d.name ?? old?.name ?? null,
    address: d.address ?? old?.address ?? null,
    agencies_json: JSON.stringify(sortedAgencies),
    domains_json: JSON.stringify(domains),
    first_seen_at: first ?? '',
    last_event_at: last ?? '',
    event_count: (old?.event_count ?? 0) + d.events,
    ...counts,
    // Dead letters change only with a touch without an event; otherwise the stored count holds.
    dead_letter_count: !old || d.deadLetters ? store.countDeadLetters(uscc) : old.dead_letter_count,
  });
}
