/**
 * The timeline across agencies: one row per event, coloured per agency, corrections and
 * retractions marked. Virtualised (fixed row height, only the visible rows are in the DOM), so a
 * history of thousands of events scrolls as smoothly as one of ten.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { agencyColour, agencyName, fmtTime, fmtYuan } from '../lib/format';
import type { HistoryItem } from '../lib/types';

const ROW = 40;
const OVERSCAN = 8;

const STATUS: Record<HistoryItem['status'], string> = {
  active: '',
  corrected: '已更正 corrected',
  retracted: '已撤回 retracted',
};

/** A one-line summary of the payload: the identifiers and outcomes people look for. */
export function summarise(e: HistoryItem): string {
  const p = e.payload;
  const parts: string[] = [];
  const str = (k: string) => (typeof p[k] === 'string' && p[k] !== '' ? p[k] : undefined);
  for (const k of [
    'inspectionId',
    'caseId',
    'decisionNo',
    'transferNo',
    'complaintId',
    'jointInspectionId',
  ]) {
    const v = str(k);
    if (v) parts.push(v);
  }
  const result = str('result') ?? str('reason');
  if (result) parts.push(result.replace(/^INSPECTION_(RESULT|REASON)_/, '').toLowerCase());
  if (typeof p.amountFen === 'number') parts.push(fmtYuan(p.amountFen));
  const summary = str('summary') ?? str('facts');
  if (summary) parts.push(summary);
  if (e.targetEventId) parts.push(`→ ${e.targetEventId.slice(0, 8)}…`);
  return parts.join(' · ');
}

export function Timeline(props: {
  items: HistoryItem[];
  complete: boolean;
  selected: string | undefined;
  onSelect: (eventId: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(480);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 480);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // The bench reads this mark: navigation start → the whole timeline on screen.
  useEffect(() => {
    if (props.complete) performance.mark('hub:timeline-complete');
  }, [props.complete]);
  useEffect(() => {
    if (props.items.length > 0 && performance.getEntriesByName('hub:timeline-first-rows').length === 0)
      performance.mark('hub:timeline-first-rows');
  }, [props.items.length > 0]);
  useEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    setTop(0);
  }, [props.items.length === 0]);

  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(props.items.length, Math.ceil((top + height) / ROW) + OVERSCAN);
  const rows = props.items.slice(first, last);

  return (
    <div
      class="timeline"
      ref={box}
      tabIndex={0}
      role="region"
      aria-label="跨部门时间线 timeline across agencies"
      data-testid="timeline"
      data-state={props.complete ? 'complete' : 'loading'}
      data-count={props.items.length}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
    >
      <div class="timeline-space" style={{ height: `${props.items.length * ROW}px` }}>
        <ol class="timeline-rows" style={{ transform: `translateY(${first * ROW}px)` }} start={first + 1}>
          {rows.map((e) => (
            <li
              key={e.eventId}
              class={`trow ${agencyColour(e.agency)} st-${e.status}${props.selected === e.eventId ? ' selected' : ''}`}
              data-testid="timeline-row"
              data-agency={e.agency}
              data-type={e.eventType}
              data-status={e.status}
            >
              <button
                type="button"
                onClick={() => props.onSelect(e.eventId)}
                aria-pressed={props.selected === e.eventId}
              >
                <span class="t-when">{fmtTime(e.occurredAt)}</span>
                <span class="t-agency">{agencyName(e.agency)}</span>
                <span class="t-type">{e.eventTypeName}</span>
                <span class="t-sum">{summarise(e)}</span>
                <span class="t-status">
                  {STATUS[e.status]}
                  {e.masked ? ' 已脱敏 masked' : ''}
                </span>
              </button>
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
