/**
 * 企业查询 Business search: by name (prefix first, then contains) or by code. A full-length code
 * that fails the GB 32100 check is flagged inline with the reason and not sent.
 */
import { useState } from 'preact/hooks';
import { AgencyTag, ErrorBox, Link, Loading, More, PageTitle, usePaged } from '../components/ui';
import { qs } from '../lib/api';
import { checkUscc } from '../lib/domain';
import { fmtDate } from '../lib/format';
import { mayRead } from '../lib/roles';
import { setQuery, useLocation } from '../lib/router';
import { useStore } from '../lib/store';
import type { BusinessSummary } from '../lib/types';

/** Looks like a whole code (18 code characters): then it must pass the check. */
export function usccProblem(q: string): string | undefined {
  const s = q.trim();
  if (!/^[0-9A-Za-z]{18}$/.test(s)) return undefined;
  const check = checkUscc(s.toUpperCase());
  return check.ok ? undefined : check.message;
}

export function SearchPage() {
  const { me } = useStore();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [input, setInput] = useState(q);
  const problem = usccProblem(input);
  const list = usePaged<BusinessSummary>(q ? `/v1/businesses${qs({ q, limit: 20 })}` : undefined);
  const canOpen = mayRead(me, 'business.profile');

  const submit = (e: Event) => {
    e.preventDefault();
    const s = input.trim();
    if (s === '' || usccProblem(s)) return;
    setQuery({ q: /^[0-9a-z]{18}$/i.test(s) ? s.toUpperCase() : s }, false);
  };

  return (
    <section>
      <PageTitle zh="企业查询" en="Business search" />
      <form class="row" onSubmit={submit} role="search">
        <label for="q" class="sr-only">
          企业名称或统一社会信用代码 (name or code)
        </label>
        <input
          id="q"
          name="q"
          value={input}
          onInput={(e) => setInput(e.currentTarget.value)}
          placeholder="企业名称或统一社会信用代码 (name or USCC)"
          aria-invalid={problem ? 'true' : 'false'}
          aria-describedby="q-problem"
          maxLength={100}
        />
        <button type="submit" disabled={!!problem || input.trim() === ''}>
          查询 Search
        </button>
      </form>
      <p id="q-problem" class="field-error" role="status" data-testid="uscc-problem">
        {problem ?? ''}
      </p>
      {!canOpen && q && (
        <p class="notice">
          当前角色不能查看单个企业档案 (your role does not read individual business files).
        </p>
      )}
      <ErrorBox error={list.error} />
      {q && !list.loading && list.items.length === 0 && !list.error && (
        <p class="muted">没有匹配的企业 (no business matches “{q}”)</p>
      )}
      {list.items.length > 0 && (
        <table class="grid" data-testid="search-results">
          <thead>
            <tr>
              <th>企业 Business</th>
              <th>统一社会信用代码 USCC</th>
              <th>涉及部门 Agencies</th>
              <th class="num">事件 Events</th>
              <th class="num">检查 Inspections</th>
              <th class="num">处罚 Cases</th>
              <th>最近 Last event</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((b) => (
              <tr key={b.uscc}>
                <td>
                  {canOpen ? <Link href={`/business/${b.uscc}`}>{b.name ?? b.uscc}</Link> : (b.name ?? '—')}
                </td>
                <td>
                  <code>{b.uscc}</code>
                </td>
                <td>
                  {b.agencies.map((a) => (
                    <AgencyTag key={a} code={a} />
                  ))}
                </td>
                <td class="num">{b.eventCount}</td>
                <td class="num">{b.inspectionCount}</td>
                <td class="num">{b.penaltyCaseCount}</td>
                <td>{fmtDate(b.lastEventAt)}</td>
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
