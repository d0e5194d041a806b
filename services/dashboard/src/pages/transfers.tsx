/**
 * 两法衔接 Transfers to police: each transfer's state, the days it has waited and the legal
 * deadline (police decide within 3 days); an agency sees its own, the police those sent to it.
 */
import { useState } from 'preact/hooks';
import { AgencyTag, ErrorBox, Loading, More, PageTitle, usePaged } from '../components/ui';
import { qs } from '../lib/api';
import { fmtDate, fmtTime } from '../lib/format';
import type { Transfer } from '../lib/types';

const DEADLINE_DAYS = 3;
const STATUS = {
  transferred: '待公安决定 waiting',
  accepted: '已受理 accepted',
  declined: '不予受理 declined',
};

export function TransfersPage() {
  const [status, setStatus] = useState('');
  const [overdue, setOverdue] = useState(false);
  const list = usePaged<Transfer>(
    `/v1/transfers${qs({ status, overdue: overdue ? 'true' : undefined, limit: 50 })}`,
  );
  return (
    <section>
      <PageTitle zh="两法衔接" en="Transfers to police" />
      <p class="muted">
        行政机关移送涉嫌犯罪案件后，公安机关应在 {DEADLINE_DAYS} 日内决定是否受理 (police decide within{' '}
        {DEADLINE_DAYS} days whether to accept a transfer).
      </p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          状态 Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">全部 all</option>
            {Object.entries(STATUS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} />
          仅超期 overdue only
        </label>
      </form>
      <ErrorBox error={list.error} />
      <table class="grid" data-testid="transfers">
        <thead>
          <tr>
            <th>移送编号 Transfer</th>
            <th>移送部门 From</th>
            <th>公安 Police</th>
            <th>企业 Business</th>
            <th>移送时间 Sent</th>
            <th>状态 Status</th>
            <th class="num">已等待 Days waited</th>
            <th>法定期限 Deadline</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((t) => {
            const deadline = new Date(Date.parse(t.transferredAt) + DEADLINE_DAYS * 86_400_000).toISOString();
            return (
              <tr key={`${t.agency}-${t.transferNo}`} class={t.overdue ? 'overdue' : ''}>
                <td>{t.transferNo}</td>
                <td>
                  <AgencyTag code={t.agency} />
                </td>
                <td>
                  <AgencyTag code={t.policeAgency} />
                </td>
                <td>
                  <code>{t.uscc}</code>
                </td>
                <td>{fmtTime(t.transferredAt)}</td>
                <td>
                  {STATUS[t.status]}
                  {t.policeCaseNo ? ` ${t.policeCaseNo}` : ''}
                </td>
                <td class="num">{t.waitingDays ?? '—'}</td>
                <td>
                  {fmtDate(deadline)}
                  {t.overdue && <strong class="bad"> 超期 overdue</strong>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {list.loading && <Loading />}
      {!list.loading && list.items.length === 0 && !list.error && (
        <p class="muted">暂无移送 (no transfers)</p>
      )}
      <More cursor={list.next} onMore={list.more} busy={list.loading} />
    </section>
  );
}
