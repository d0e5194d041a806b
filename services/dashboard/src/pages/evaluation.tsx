/**
 * 网上考评 Evaluation: the figures the API computes per agency and period (inspections, duplicate
 * share, joint inspections, penalty cases and time to decision, transfers waiting on police,
 * complaints) as a table and as charts: bars per agency, and one agency's trend per month.
 */
import { useEffect, useState } from 'preact/hooks';
import { BarChart } from '../components/chart';
import { ErrorBox, Loading, PageTitle, useApi } from '../components/ui';
import { api, qs } from '../lib/api';
import { AGENCIES, AGENCY_CODES } from '../lib/domain';
import { agencyName, fmtShare } from '../lib/format';
import { useStore } from '../lib/store';

interface Figures {
  agency: string;
  agencyName: string;
  inspections: { completed: number; joint: number; cancelled: number };
  duplicates: { flagged: number | null; share: number | null };
  penaltyCases: { opened: number; decided: number; medianDaysToDecision: number | null };
  transfers: { sent: number; waitingOnPoliceOver3Days: number; received: number };
  complaints: { received: number };
}
interface Activity {
  days: { day: string; eventType: string; count: number }[];
}

const shortName = (code: string) => agencyName(code).replace(/^县/, '');

function useFigures(codes: string[], from: string, to: string) {
  const [rows, setRows] = useState<Figures[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const key = `${codes.join(',')}|${from}|${to}`;
  useEffect(() => {
    let live = true;
    setRows(undefined);
    setError(undefined);
    Promise.all(codes.map((c) => api<Figures>(`/v1/agencies/${c}/evaluation${qs({ from, to })}`)))
      .then((r) => live && setRows(r))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [key]);
  return { rows, error };
}

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export function EvaluationPage() {
  const { me } = useStore();
  const own = me?.may['agency.figures'] === 'own';
  const codes = own ? (me?.agencies ?? []) : AGENCY_CODES.filter((c) => AGENCIES[c]?.kind !== 'finance');
  const year = new Date().getFullYear();
  const [period, setPeriod] = useState({ from: `${year}-01-01`, to: `${year}-12-31` });
  const [draft, setDraft] = useState(period);
  const [trendAgency, setTrendAgency] = useState(codes[0] ?? '');
  const { rows, error } = useFigures(codes, period.from, period.to);
  const activity = useApi<Activity>(
    trendAgency
      ? `/v1/agencies/${trendAgency}/activity${qs({ from: period.from, to: period.to })}`
      : undefined,
  );
  const active = (rows ?? []).filter(
    (r) => r.inspections.completed + r.penaltyCases.opened + r.complaints.received > 0,
  );
  const ms = months(period.from, period.to);
  const perMonth = (type: string) =>
    ms.map((m) =>
      (activity.data?.days ?? [])
        .filter((d) => d.eventType === type && d.day.startsWith(m))
        .reduce((a, d) => a + d.count, 0),
    );

  return (
    <section>
      <PageTitle zh="网上考评" en="Evaluation" />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod(draft);
        }}
      >
        <label>
          自 From
          <input
            type="date"
            value={draft.from}
            required
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </label>
        <label>
          至 To
          <input
            type="date"
            value={draft.to}
            required
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
        </label>
        <div class="buttons">
          <button type="submit">计算 Apply</button>
        </div>
      </form>
      <ErrorBox error={error} />
      {!rows && !error && <Loading />}
      {rows && (
        <>
          <div class="charts">
            <BarChart
              testid="chart-agencies"
              title="各部门检查与重复检查 Inspections and duplicates per agency"
              labels={active.map((r) => shortName(r.agency))}
              series={[
                { label: '检查 inspections', values: active.map((r) => r.inspections.completed), colour: 0 },
                {
                  label: '被标记重复 duplicates',
                  values: active.map((r) => r.duplicates.flagged ?? 0),
                  colour: 1,
                },
              ]}
            />
            <div>
              <label class="inline">
                趋势部门 Trend for{' '}
                <select value={trendAgency} onChange={(e) => setTrendAgency(e.currentTarget.value)}>
                  {codes.map((c) => (
                    <option key={c} value={c}>
                      {agencyName(c)}
                    </option>
                  ))}
                </select>
              </label>
              <BarChart
                testid="chart-trend"
                title={`${agencyName(trendAgency)} 每月趋势 Trend per month`}
                labels={activity.data ? ms.map((m) => m.slice(5)) : []}
                series={[
                  { label: '检查完成 inspections', values: perMonth('inspectionCompleted'), colour: 0 },
                  { label: '处罚立案 cases opened', values: perMonth('penaltyCaseOpened'), colour: 2 },
                ]}
              />
            </div>
          </div>
          <table class="grid" data-testid="figures">
            <thead>
              <tr>
                <th>部门 Agency</th>
                <th class="num">检查 Inspections</th>
                <th class="num">联合 Joint</th>
                <th class="num">重复 Duplicates</th>
                <th class="num">重复率 Share</th>
                <th class="num">立案 Cases</th>
                <th class="num">决定 Decided</th>
                <th class="num">办案天数中位数 Median days</th>
                <th class="num">移送 Transfers</th>
                <th class="num">公安超3日未决 Waiting &gt; 3 d</th>
                <th class="num">投诉 Complaints</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.agency}>
                  <td>{r.agencyName}</td>
                  <td class="num">{r.inspections.completed}</td>
                  <td class="num">{r.inspections.joint}</td>
                  <td class="num">{r.duplicates.flagged ?? '—'}</td>
                  <td class="num">{fmtShare(r.duplicates.share)}</td>
                  <td class="num">{r.penaltyCases.opened}</td>
                  <td class="num">{r.penaltyCases.decided}</td>
                  <td class="num">{r.penaltyCases.medianDaysToDecision ?? '—'}</td>
                  <td class="num">{r.transfers.sent}</td>
                  <td class="num">{r.transfers.waitingOnPoliceOver3Days}</td>
                  <td class="num">{r.complaints.received}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
