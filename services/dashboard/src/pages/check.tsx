/**
 * 检查前核查 Pre-visit check: before planning a visit, an agency asks whether it is clear to go or
 * which visits conflict, and which joint inspection (lead body, cooperating departments) is
 * proposed instead (`POST /v1/checks/inspection`; read-only, written to the access log).
 */
import { useState } from 'preact/hooks';
import { AgencyTag, ErrorBox, PageTitle, useApi } from '../components/ui';
import { api, qs } from '../lib/api';
import { checkUscc } from '../lib/domain';
import { agencyName, chinaToday, fmtDate, fmtTime } from '../lib/format';
import { useStore } from '../lib/store';
import type { Matter } from '../lib/types';

interface Ref {
  agency: string;
  inspectionId: string;
  stage: string;
  reason: string;
  at: string;
  matterCodes: string[];
}
type Conflict =
  | { kind: 'other_agency' | 'same_agency'; inspection: Ref }
  | { kind: 'quiet_period'; jointInspectionId: string; jointAgencies: string[]; quietUntil: string }
  | { kind: 'burden'; period: string; routineVisits: number; max: number };
interface CheckAnswer {
  clear: boolean;
  conflicts: Conflict[];
  proposal: {
    jointInspectionId: string;
    leadAgency: string;
    cooperatingAgencies: string[];
    matterCodes: string[];
    proposedFor: string;
  } | null;
  recentActivity: { inspection: Ref; exempt: boolean }[];
}

const REASONS = [
  ['RANDOM_SELECTION', '双随机抽查 random selection'],
  ['ANNUAL_PLAN', '年度计划 annual plan'],
  ['SPECIAL_CAMPAIGN', '专项行动 special campaign'],
  ['COMPLAINT', '投诉举报 complaint'],
  ['FOLLOW_UP', '复查 follow-up'],
  ['REFERRAL', '移送 referral'],
] as const;

function ConflictItem({ c }: { c: Conflict }) {
  if (c.kind === 'quiet_period')
    return (
      <li>
        联合检查 {c.jointInspectionId}（{c.jointAgencies.map(agencyName).join('、')}）后的静默期，至{' '}
        {fmtDate(c.quietUntil)}
        <span class="en"> quiet period after a joint inspection</span>
      </li>
    );
  if (c.kind === 'burden')
    return (
      <li>
        {c.period} 常规检查已 {c.routineVisits} 次，上限 {c.max} 次 <span class="en">inspection burden</span>
      </li>
    );
  const i = c.inspection;
  return (
    <li>
      <AgencyTag code={i.agency} /> {i.stage === 'planned' ? '计划' : '已'}检查 {i.inspectionId}，
      {fmtTime(i.at)}，事项 {i.matterCodes.join('、')}
      <span class="en"> {c.kind === 'same_agency' ? 'same agency' : 'another agency'}</span>
    </li>
  );
}

export function CheckPage() {
  const { me, agencyNames } = useStore();
  const agencies = me?.may['inspection.check'] === 'own' ? me.agencies : Object.keys(agencyNames);
  const [form, setForm] = useState({
    uscc: '',
    agency: agencies[0] ?? '',
    date: chinaToday(),
    reason: 'RANDOM_SELECTION',
  });
  const [codes, setCodes] = useState<string[]>([]);
  const [answer, setAnswer] = useState<CheckAnswer | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const agency = form.agency || agencies[0] || '';
  const matters = useApi<{ items: Matter[] }>(agency ? `/v1/matters${qs({ agency })}` : undefined);
  const usccCheck = form.uscc === '' ? undefined : checkUscc(form.uscc.trim().toUpperCase());

  const set = (k: keyof typeof form) => (e: Event) => {
    setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
    if (k === 'agency') setCodes([]);
  };
  const toggle = (code: string) =>
    setCodes(codes.includes(code) ? codes.filter((c) => c !== code) : [...codes, code]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(
        await api<CheckAnswer>('/v1/checks/inspection', {
          method: 'POST',
          body: {
            uscc: form.uscc.trim().toUpperCase(),
            agency,
            matterCodes: codes,
            date: form.date,
            reason: form.reason,
          },
        }),
      );
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <PageTitle zh="检查前核查" en="Pre-visit check" />
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <label>
          统一社会信用代码 USCC
          <input
            name="uscc"
            value={form.uscc}
            onInput={set('uscc')}
            maxLength={18}
            required
            aria-invalid={usccCheck && !usccCheck.ok ? 'true' : 'false'}
          />
        </label>
        {usccCheck && !usccCheck.ok && <p class="field-error">{usccCheck.message}</p>}
        <label>
          检查部门 Agency
          <select name="agency" value={agency} onChange={set('agency')}>
            {agencies.map((a) => (
              <option key={a} value={a}>
                {agencyName(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          计划日期 Date
          <input type="date" name="date" value={form.date} onInput={set('date')} required />
        </label>
        <label>
          事由 Reason
          <select name="reason" value={form.reason} onChange={set('reason')}>
            {REASONS.map(([v, n]) => (
              <option key={v} value={v}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>执法事项 Matters</legend>
          {matters.data?.items.map((m) => (
            <label key={m.code} class="check">
              <input
                type="checkbox"
                name="matter"
                value={m.code}
                checked={codes.includes(m.code)}
                onChange={() => toggle(m.code)}
              />
              <code>{m.code}</code> {m.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={codes.length === 0 || !usccCheck?.ok}>
          核查 Check
        </button>
      </form>
      <ErrorBox error={error} />
      {answer && (
        <div
          class={answer.clear ? 'result ok' : 'result conflict'}
          data-testid="check-result"
          data-clear={String(answer.clear)}
          role="status"
        >
          {answer.clear ? (
            <p class="big">可以开展 · Clear to go</p>
          ) : (
            <>
              <p class="big">存在冲突 · Conflicts</p>
              <ul>
                {answer.conflicts.map((c, i) => (
                  <ConflictItem key={i} c={c} />
                ))}
              </ul>
              {answer.proposal && (
                <div data-testid="proposal">
                  <h3>
                    建议联合检查 <span class="en">Proposed joint inspection</span>{' '}
                    {answer.proposal.jointInspectionId}
                  </h3>
                  <p>
                    牵头部门 Lead body：
                    <AgencyTag code={answer.proposal.leadAgency} />
                  </p>
                  <p>
                    配合部门 Cooperating：
                    {answer.proposal.cooperatingAgencies.map((a) => (
                      <AgencyTag key={a} code={a} />
                    ))}
                  </p>
                  <p>
                    事项 Matters：{answer.proposal.matterCodes.join('、')}；建议时间{' '}
                    {fmtDate(answer.proposal.proposedFor)}
                  </p>
                </div>
              )}
            </>
          )}
          {answer.recentActivity.length > 0 && (
            <>
              <h3>
                近期检查 <span class="en">Recent inspections</span>
              </h3>
              <ul>
                {answer.recentActivity.map((r) => (
                  <li key={r.inspection.inspectionId}>
                    <AgencyTag code={r.inspection.agency} /> {r.inspection.inspectionId}{' '}
                    {fmtTime(r.inspection.at)}
                    {r.exempt ? '（豁免 exempt）' : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
