/** 处罚公示 Published penalty decisions (not revoked), newest first; no personal data. */
import { useState } from 'preact/hooks';
import { ErrorBox, Loading, More, PageTitle, usePaged } from '../components/ui';
import { qs } from '../lib/api';
import { agencyName, fmtDate, fmtYuan } from '../lib/format';
import { useStore } from '../lib/store';

interface Decision {
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

export function PenaltiesPage() {
  const { agencyNames } = useStore();
  const [agency, setAgency] = useState('');
  const list = usePaged<Decision>(`/v1/penalty-decisions${qs({ agency, limit: 50 })}`);
  return (
    <section>
      <PageTitle zh="处罚公示" en="Published penalty decisions" />
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          部门 Agency
          <select value={agency} onChange={(e) => setAgency(e.currentTarget.value)}>
            <option value="">全部 all</option>
            {Object.entries(agencyNames).map(([c, n]) => (
              <option key={c} value={c}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBox error={list.error} />
      <table class="grid" data-testid="penalties">
        <thead>
          <tr>
            <th>决定书文号 Decision no.</th>
            <th>当事人 Party</th>
            <th>部门 Agency</th>
            <th>违法事项 Violation</th>
            <th>法律依据 Legal basis</th>
            <th class="num">罚款 Fine</th>
            <th>决定 Decided</th>
            <th>公示 Published</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((d) => (
            <tr key={`${d.agency}-${d.caseId}`}>
              <td>{d.decisionNo ?? d.caseId}</td>
              <td>
                {d.businessName ?? '—'}
                <br />
                <code>{d.uscc}</code>
              </td>
              <td>{agencyName(d.agency)}</td>
              <td>
                <code>{d.violationCode ?? '—'}</code>
              </td>
              <td>{d.legalBasisArticles.join('；')}</td>
              <td class="num">{fmtYuan(d.amountFen)}</td>
              <td>{fmtDate(d.decidedAt)}</td>
              <td>{fmtDate(d.publishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.loading && <Loading />}
      {!list.loading && list.items.length === 0 && !list.error && (
        <p class="muted">暂无公示 (nothing published)</p>
      )}
      <More cursor={list.next} onMore={list.more} busy={list.loading} />
    </section>
  );
}
