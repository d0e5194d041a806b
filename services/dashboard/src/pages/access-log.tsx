/** 访问日志 Access log: who read which business file; the supervision office and auditors only. */
import { useState } from 'preact/hooks';
import { ErrorBox, Loading, More, PageTitle, usePaged } from '../components/ui';
import { qs } from '../lib/api';
import { fmtTime } from '../lib/format';

interface Entry {
  id: number;
  at: string;
  tokenId: string;
  subject: string | null;
  roles: string[];
  uscc: string;
  resource: string;
  query: string | null;
  status: number;
}

export function AccessLogPage() {
  const [uscc, setUscc] = useState('');
  const [applied, setApplied] = useState('');
  const list = usePaged<Entry>(`/v1/access-log${qs({ uscc: applied, limit: 100 })}`);
  return (
    <section>
      <PageTitle zh="访问日志" en="Access log" />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(uscc.trim().toUpperCase());
        }}
      >
        <label>
          企业 USCC
          <input value={uscc} maxLength={18} onInput={(e) => setUscc(e.currentTarget.value)} />
        </label>
        <div class="buttons">
          <button type="submit">筛选 Apply</button>
        </div>
      </form>
      <ErrorBox error={list.error} />
      {list.items.length > 0 && (
        <table class="grid" data-testid="access-log">
          <thead>
            <tr>
              <th>时间 When</th>
              <th>读者 Reader</th>
              <th>角色 Roles</th>
              <th>企业 Business</th>
              <th>内容 Resource</th>
              <th>查询 Query</th>
              <th class="num">结果 Status</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.id}>
                <td>{fmtTime(e.at)}</td>
                <td>
                  {e.subject ?? '—'} <code>{e.tokenId}</code>
                </td>
                <td>{e.roles.join(', ')}</td>
                <td>
                  <code>{e.uscc}</code>
                </td>
                <td>{e.resource}</td>
                <td class="wrap">
                  <code>{e.query ? decodeURIComponent(e.query) : ''}</code>
                </td>
                <td class="num">{e.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.loading && <Loading />}
      <More cursor={list.next} onMore={list.more} busy={list.loading} />
    </section>
  );
}
