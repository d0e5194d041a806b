/**
 * 预警 Alerts inbox: filters by kind, agency, status; acknowledge and resolve (each becomes an
 * `alertAcknowledged` / `alertResolved` event of the acting agency) where the token may act for an
 * agency the alert concerns. New alerts and status changes appear without reloading: the list is
 * polled every few seconds (see docs/dashboard.md).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { AgencyTag, ErrorBox, Link, PageTitle } from '../components/ui';
import { ApiError, api, qs } from '../lib/api';
import { ALERT_KINDS, ALERT_KIND_NAMES } from '../lib/domain';
import { agencyName, fmtTime } from '../lib/format';
import { actingAgencies, mayRead } from '../lib/roles';
import { setQuery, useLocation } from '../lib/router';
import { useStore } from '../lib/store';
import type { Alert, Page } from '../lib/types';

export const POLL_MS = 4000;

const STATUS_NAMES: Record<Alert['status'], string> = {
  open: '待处理 open',
  acknowledged: '已确认 acknowledged',
  resolved: '已处理 resolved',
  withdrawn: '已撤销 withdrawn',
};

function AlertActions({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const { me } = useStore();
  const agencies = actingAgencies(me, alert.agencies);
  const [agency, setAgency] = useState(agencies[0] ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [sent, setSent] = useState<string | undefined>(undefined);
  if (agencies.length === 0 || alert.status === 'resolved' || alert.status === 'withdrawn') return null;
  const act = async (action: 'acknowledge' | 'resolve') => {
    setError(undefined);
    try {
      await api(`/v1/alerts/${alert.alertId}/${action}`, {
        method: 'POST',
        body: action === 'resolve' ? { agency, reason } : { agency },
      });
      setSent(
        action === 'resolve'
          ? '已提交处理，等待平台确认… (resolution sent)'
          : '已提交确认… (acknowledgement sent)',
      );
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new Error(String(e)));
    }
  };
  return (
    <div class="actions">
      {agencies.length > 1 && (
        <label>
          以部门 As
          <select value={agency} onChange={(e) => setAgency(e.currentTarget.value)}>
            {agencies.map((a) => (
              <option key={a} value={a}>
                {agencyName(a)}
              </option>
            ))}
          </select>
        </label>
      )}
      {alert.status === 'open' && (
        <button type="button" onClick={() => void act('acknowledge')} data-testid="ack">
          确认 Acknowledge
        </button>
      )}
      <label>
        处理说明 Reason
        <input
          value={reason}
          maxLength={2000}
          onInput={(e) => setReason(e.currentTarget.value)}
          placeholder="如：已联合检查"
        />
      </label>
      <button
        type="button"
        class="secondary"
        disabled={reason.trim() === ''}
        onClick={() => void act('resolve')}
      >
        处理 Resolve
      </button>
      {sent && <span class="muted">{sent}</span>}
      <ErrorBox error={error} />
    </div>
  );
}

function Details({ alert }: { alert: Alert }) {
  const d = alert.details;
  const proposal = d.proposal as { leadAgency?: string; cooperatingAgencies?: string[] } | undefined;
  const firstCase = d.firstOpened as { agency?: string; caseId?: string; openedAt?: string } | undefined;
  return (
    <div class="alert-details">
      <p>{alert.summary.zh}</p>
      <p class="en">{alert.summary.en}</p>
      {proposal?.leadAgency && (
        <p>
          联合检查建议：牵头 {agencyName(proposal.leadAgency)}，配合{' '}
          {(proposal.cooperatingAgencies ?? []).map(agencyName).join('、')}
        </p>
      )}
      {firstCase?.caseId && (
        <p>
          一事不再罚：先立案部门 (first-opened case, art. 25) {agencyName(firstCase.agency ?? '')}{' '}
          {firstCase.caseId} {fmtTime(firstCase.openedAt)}
        </p>
      )}
      {alert.acknowledged && (
        <p class="muted">
          确认：{alert.acknowledged.by ?? '—'}（{agencyName(alert.acknowledged.agency ?? '')}）
          {fmtTime(alert.acknowledged.at)}
        </p>
      )}
      {alert.resolved && (
        <p class="muted">
          处理：{alert.resolved.by ?? '—'}（{agencyName(alert.resolved.agency ?? '')}）
          {alert.resolved.reason ?? ''} {fmtTime(alert.resolved.at)}
        </p>
      )}
    </div>
  );
}

export function AlertsPage() {
  const { me, agencyNames } = useStore();
  const { query } = useLocation();
  const filters = {
    kind: query.get('kind') ?? '',
    status: query.get('status') ?? '',
    agency: query.get('agency') ?? '',
    uscc: query.get('uscc') ?? '',
  };
  const path = `/v1/alerts${qs({ ...filters, limit: 100 })}`;
  const [items, setItems] = useState<Alert[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<string | undefined>(undefined);
  const known = useRef<Map<string, string> | undefined>(undefined);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    known.current = undefined;
    setItems(undefined);
    setFresh(new Set());
  }, [path]);
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const page = await api<Page<Alert>>(path);
        if (!live) return;
        const before = known.current;
        if (before) {
          const changed = page.items.filter((a) => before.get(a.alertId) !== a.status).map((a) => a.alertId);
          if (changed.length > 0) setFresh((f) => new Set([...f, ...changed]));
        }
        known.current = new Map(page.items.map((a) => [a.alertId, a.status]));
        setItems(page.items);
        setError(undefined);
      } catch (e) {
        if (live) setError(e);
      }
    };
    void load();
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [path, tick]);

  const set = (k: keyof typeof filters) => (e: Event) =>
    setQuery({ ...filters, [k]: (e.currentTarget as HTMLSelectElement).value });
  const agencies = me?.agencies.length ? me.agencies : Object.keys(agencyNames);

  return (
    <section>
      <PageTitle zh="协同预警" en="Alerts" />
      <p class="muted">
        每 {POLL_MS / 1000} 秒自动刷新，新预警和状态变化会高亮 (refreshed every {POLL_MS / 1000} s; new alerts
        and changes are highlighted).
      </p>
      <form class="filters" aria-label="预警筛选 alert filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          类型 Kind
          <select name="kind" value={filters.kind} onChange={set('kind')}>
            <option value="">全部 all</option>
            {ALERT_KINDS.map((k) => (
              <option key={k} value={k}>
                {ALERT_KIND_NAMES[k].zh} {ALERT_KIND_NAMES[k].en}
              </option>
            ))}
          </select>
        </label>
        <label>
          状态 Status
          <select name="status" value={filters.status} onChange={set('status')}>
            <option value="">全部 all</option>
            {Object.entries(STATUS_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          部门 Agency
          <select name="agency" value={filters.agency} onChange={set('agency')}>
            <option value="">全部 all</option>
            {agencies.map((a) => (
              <option key={a} value={a}>
                {agencyName(a)}
              </option>
            ))}
          </select>
        </label>
        {filters.uscc && (
          <span>
            企业 <code>{filters.uscc}</code>{' '}
            <button type="button" class="secondary" onClick={() => setQuery({ ...filters, uscc: '' })}>
              清除 clear
            </button>
          </span>
        )}
      </form>
      <ErrorBox error={error} />
      {items && items.length === 0 && <p class="muted">没有符合条件的预警 (no alerts)</p>}
      {items && items.length > 0 && (
        <table class="grid" data-testid="alerts">
          <thead>
            <tr>
              <th>类型 Kind</th>
              <th>企业 Business</th>
              <th>涉及部门 Agencies</th>
              <th>预警时间 Raised</th>
              <th>状态 Status</th>
              <th>
                <span class="sr-only">详情 details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => [
              <tr
                key={a.alertId}
                class={fresh.has(a.alertId) ? 'fresh' : ''}
                data-testid="alert-row"
                data-alert={a.alertId}
                data-status={a.status}
                data-kind={a.kind}
              >
                <td>
                  {a.kindName.zh} <span class="en">{a.kindName.en}</span>
                </td>
                <td>
                  {mayRead(me, 'business.profile') ? (
                    <Link href={`/business/${a.uscc}`}>
                      <code>{a.uscc}</code>
                    </Link>
                  ) : (
                    <code>{a.uscc}</code>
                  )}
                </td>
                <td>
                  {a.agencies.map((c) => (
                    <AgencyTag key={c} code={c} />
                  ))}
                </td>
                <td>{fmtTime(a.raisedAt)}</td>
                <td class={`status-${a.status}`} data-testid="alert-status">
                  {STATUS_NAMES[a.status]}
                </td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={open === a.alertId}
                    onClick={() => setOpen(open === a.alertId ? undefined : a.alertId)}
                  >
                    {open === a.alertId ? '收起 less' : '详情 more'}
                  </button>
                </td>
              </tr>,
              open === a.alertId && (
                <tr key={`${a.alertId}-d`} class="expanded">
                  <td colSpan={6}>
                    <Details alert={a} />
                    <AlertActions alert={a} onDone={() => setTick((t) => t + 1)} />
                  </td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
    </section>
  );
}
