/**
 * 企业档案 Business page: the profile (agencies involved, counts, this period's inspection burden
 * against the limit, quiet period, alerts) and the timeline across agencies with filters and an
 * "as of" picker that shows what the hub showed at that moment.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { AgencyTag, ErrorBox, Link, Loading, PageTitle, useApi } from '../components/ui';
import { Timeline } from '../components/timeline';
import { api, qs } from '../lib/api';
import { EVENT_TYPES, EVENT_TYPE_NAMES } from '../lib/domain';
import { agencyName, chinaLocalToRfc3339, fmtDate, fmtTime, rfc3339ToChinaLocal } from '../lib/format';
import { setQuery, useLocation } from '../lib/router';
import type { HistoryItem, HistoryPage, Profile } from '../lib/types';

/** At most this many events are loaded into the timeline (500 per request). */
const MAX_EVENTS = 20_000;

interface Filters {
  agency?: string | undefined;
  eventType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  asOf?: string | undefined;
}

function useHistory(uscc: string, f: Filters) {
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [name, setName] = useState<string | null>(null);
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const key = JSON.stringify([uscc, f]);
  useEffect(() => {
    let live = true;
    setItems([]);
    setComplete(false);
    setError(undefined);
    void (async () => {
      let cursor: string | null = null;
      let all: HistoryItem[] = [];
      try {
        do {
          const page: HistoryPage = await api<HistoryPage>(
            `/v1/businesses/${uscc}/history${qs({ ...f, limit: 500, cursor })}`,
          );
          if (!live) return;
          all = all.concat(page.items);
          setItems(all);
          setName(page.name);
          cursor = page.nextCursor;
        } while (cursor && all.length < MAX_EVENTS);
        if (live) setComplete(true);
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [key]);
  return { items, name, complete, error };
}

function ProfilePanel({ profile }: { profile: Profile }) {
  const b = profile.business;
  const burden = profile.inspectionBurden;
  const over = burden.routineVisits > burden.limit;
  return (
    <div class="cards" data-testid="profile">
      <div class="card">
        <h2>概况 Overview</h2>
        <dl class="facts">
          <dt>地址 Address</dt>
          <dd>{b.address ?? '—'}</dd>
          <dt>首次记录 First seen</dt>
          <dd>{fmtDate(b.firstSeenAt)}</dd>
          <dt>事件 Events</dt>
          <dd>{b.eventCount}</dd>
          <dt>检查/处罚/投诉/移送</dt>
          <dd>
            {b.inspectionCount} / {b.penaltyCaseCount} / {b.complaintCount} / {b.transferCount}
          </dd>
        </dl>
      </div>
      <div class="card">
        <h2>涉及部门 Agencies</h2>
        <ul class="plain">
          {profile.agencies.map((a) => (
            <li key={a.agency}>
              <AgencyTag code={a.agency} /> {a.eventCount} 条，最近 {fmtDate(a.lastOccurredAt)}
            </li>
          ))}
        </ul>
      </div>
      <div class={`card${over ? ' warn' : ''}`} data-testid="burden">
        <h2>本期检查频次 Inspection burden</h2>
        <p class="big">
          {burden.routineVisits}
          <span class="muted"> / {burden.limit}</span>
        </p>
        <p class="muted">
          {burden.period}（{fmtDate(burden.periodStart)} 起）常规检查次数
          {burden.limit !== undefined ? '／上限' : ''}
          ；全部 {burden.visits} 次，联合检查计一次 (routine visits against the limit; a joint inspection
          counts once)
        </p>
        {profile.quietPeriod ? (
          <p class="notice" data-testid="quiet">
            静默期至 {fmtDate(profile.quietPeriod.quietUntil)}：联合检查{' '}
            {profile.quietPeriod.jointInspectionId} 后其他部门不宜再检查 (quiet period after a joint
            inspection)
          </p>
        ) : (
          <p class="muted">不在联合检查静默期 (no quiet period)</p>
        )}
      </div>
      <div class="card">
        <h2>协同预警 Alerts</h2>
        <p class="big">{profile.alerts.unresolved}</p>
        <p class="muted">未处理，共 {profile.alerts.total} 条 (unresolved of all)</p>
        <Link href={`/alerts${qs({ uscc: b.uscc })}`}>查看预警 (see alerts)</Link>
      </div>
    </div>
  );
}

function EventDetail({ item }: { item: HistoryItem | undefined }) {
  if (!item) return <p class="muted">选择一条事件查看详情 (select an event to see its details)</p>;
  return (
    <div data-testid="event-detail">
      <h3>
        {item.eventTypeName} <span class="en">{item.eventType}</span>
      </h3>
      <dl class="facts">
        <dt>部门 Agency</dt>
        <dd>{agencyName(item.agency)}</dd>
        <dt>发生 Occurred</dt>
        <dd>{fmtTime(item.occurredAt)}</dd>
        <dt>记录 Recorded</dt>
        <dd>{fmtTime(item.recordedAt)}</dd>
        <dt>状态 Status</dt>
        <dd>
          {item.status}
          {item.supersededByEventId && ` → ${item.supersededByEventId}`}
        </dd>
        <dt>事件编号 Event id</dt>
        <dd>
          <code>{item.eventId}</code>
        </dd>
      </dl>
      <pre class="payload">{JSON.stringify(item.payload, null, 2)}</pre>
    </div>
  );
}

export function BusinessPage({ uscc }: { uscc: string }) {
  const { query } = useLocation();
  const filters: Filters = {
    agency: query.get('agency') ?? undefined,
    eventType: query.get('eventType') ?? undefined,
    from: query.get('from') ?? undefined,
    to: query.get('to') ?? undefined,
    asOf: query.get('asOf') ?? undefined,
  };
  const history = useHistory(uscc, filters);
  // The timeline first: the profile (whose coordination figures can take a while for a long
  // history) is asked for once the timeline is in, and kept while the filters change.
  const [profileFor, setProfileFor] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (history.complete || history.error !== undefined) setProfileFor(uscc);
  }, [history.complete, history.error, uscc]);
  const profile = useApi<Profile>(profileFor === uscc ? `/v1/businesses/${uscc}` : undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [draft, setDraft] = useState({
    agency: filters.agency ?? '',
    eventType: filters.eventType ?? '',
    from: filters.from ?? '',
    to: filters.to ?? '',
    asOf: filters.asOf ? rfc3339ToChinaLocal(filters.asOf) : '',
  });
  const selectedItem = useMemo(
    () => history.items.find((e) => e.eventId === selected),
    [history.items, selected],
  );
  const agencies = profile.data?.agencies.map((a) => a.agency) ?? [];
  const set = (k: keyof typeof draft) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });

  const apply = (e: Event) => {
    e.preventDefault();
    setQuery({
      agency: draft.agency || undefined,
      eventType: draft.eventType || undefined,
      from: draft.from || undefined,
      to: draft.to || undefined,
      asOf: draft.asOf ? chinaLocalToRfc3339(draft.asOf) : undefined,
    });
  };
  const clear = () => {
    setDraft({ agency: '', eventType: '', from: '', to: '', asOf: '' });
    setQuery({});
  };

  const title = history.name ?? profile.data?.business.name ?? uscc;
  return (
    <section>
      <PageTitle zh={title} en={`企业档案 Business · ${uscc}`} />
      {filters.asOf && (
        <div class="asof" role="status" data-testid="asof-banner">
          时间线为平台在 <strong>{fmtTime(filters.asOf)}</strong>{' '}
          时所显示的内容：之后记录的事件、更正和撤回都不在其中。 (The timeline shows what the hub showed at
          that moment.) 上方档案为当前状态 (the profile above is current).
          <button type="button" class="secondary" onClick={() => setQuery({ ...filters, asOf: undefined })}>
            回到当前 (back to now)
          </button>
        </div>
      )}
      <ErrorBox error={profile.error} />
      {profile.data && <ProfilePanel profile={profile.data} />}

      <h2>
        跨部门时间线 <span class="en">Timeline across agencies</span>
      </h2>
      <form class="filters" onSubmit={apply} aria-label="时间线筛选 timeline filters">
        <label>
          部门 Agency
          <select name="agency" value={draft.agency} onChange={set('agency')}>
            <option value="">全部 all</option>
            {agencies.map((a) => (
              <option key={a} value={a}>
                {agencyName(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          事件类型 Event type
          <select name="eventType" value={draft.eventType} onChange={set('eventType')}>
            <option value="">全部 all</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {EVENT_TYPE_NAMES[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          自 From
          <input type="date" name="from" value={draft.from} onInput={set('from')} />
        </label>
        <label>
          至 To
          <input type="date" name="to" value={draft.to} onInput={set('to')} />
        </label>
        <label>
          截至 As of（北京时间）
          <input type="datetime-local" name="asOf" step={1} value={draft.asOf} onInput={set('asOf')} />
        </label>
        <div class="buttons">
          <button type="submit">筛选 Apply</button>
          <button type="button" class="secondary" onClick={clear}>
            清除 Clear
          </button>
        </div>
      </form>
      <ErrorBox error={history.error} />
      <p class="muted" data-testid="timeline-count" aria-live="polite">
        {history.complete
          ? `共 ${history.items.length} 条事件 (events)`
          : `已加载 ${history.items.length} 条… (loading)`}
        {history.items.length >= MAX_EVENTS &&
          '；仅显示前 20000 条，请缩小范围 (first 20 000 shown: narrow the filters)'}
      </p>
      <div class="split">
        {!history.complete && history.items.length === 0 && !history.error ? (
          <Loading />
        ) : (
          <Timeline
            items={history.items}
            complete={history.complete}
            selected={selected}
            onSelect={setSelected}
          />
        )}
        <aside class="detail">
          <EventDetail item={selectedItem} />
        </aside>
      </div>
    </section>
  );
}
