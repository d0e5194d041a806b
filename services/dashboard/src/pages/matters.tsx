/** 执法事项目录 Matter catalogue (public): every matter with its lead body, cooperating departments and legal basis. */
import { useMemo, useState } from 'preact/hooks';
import { AgencyTag, ErrorBox, Loading, PageTitle, useApi } from '../components/ui';
import type { Matter } from '../lib/types';

export function MattersPage() {
  const catalogue = useApi<{ version: string; title: string; sha256: string; items: Matter[] }>(
    '/v1/matters',
  );
  const [q, setQ] = useState('');
  const items = useMemo(() => {
    const s = q.trim().toLowerCase();
    const all = catalogue.data?.items ?? [];
    return s === ''
      ? all
      : all.filter((m) =>
          [m.code, m.name, m.en, m.legalBasis, m.leadAgency, ...m.cooperatingAgencies].some((x) =>
            x.toLowerCase().includes(s),
          ),
        );
  }, [catalogue.data, q]);
  return (
    <section>
      <PageTitle zh="执法事项目录" en="Matter catalogue" />
      {catalogue.data && (
        <p class="muted">
          {catalogue.data.title}，版本 {catalogue.data.version}，共 {catalogue.data.items.length} 项 (sha256{' '}
          <code>{catalogue.data.sha256.slice(0, 12)}…</code>)
        </p>
      )}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          检索 Search
          <input
            name="q"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
            placeholder="事项、代码、部门或法律依据 (matter, code, agency or legal basis)"
          />
        </label>
      </form>
      <ErrorBox error={catalogue.error} />
      {catalogue.loading && <Loading />}
      <table class="grid" data-testid="matters">
        <thead>
          <tr>
            <th>代码 Code</th>
            <th>执法事项 Matter</th>
            <th>牵头执法主体 Lead body</th>
            <th>配合部门 Cooperating</th>
            <th>法律依据 Legal basis</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr key={m.code}>
              <td>
                <code>{m.code}</code>
              </td>
              <td>
                {m.name}
                <br />
                <span class="en">{m.en}</span>
              </td>
              <td>
                <AgencyTag code={m.leadAgency} />
              </td>
              <td>
                {m.cooperatingAgencies.map((a) => (
                  <AgencyTag key={a} code={a} />
                ))}
              </td>
              <td>{m.legalBasis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
