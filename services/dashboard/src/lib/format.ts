/** Dates in China time, money in 元, names of agencies: how the pages print values. */
import { AGENCIES, AGENCY_CODES } from './domain';
import { getState } from './store';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export const fmtTime = (iso: string | null | undefined): string =>
  iso ? dateTime.format(new Date(iso)) : '—';
export const fmtDate = (iso: string | null | undefined): string =>
  iso ? dateOnly.format(new Date(iso)) : '—';

export const fmtYuan = (fen: number | null | undefined): string =>
  fen === null || fen === undefined
    ? '—'
    : `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const fmtShare = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;

export const agencyName = (code: string): string =>
  AGENCIES[code]?.name ?? getState().agencyNames[code] ?? code;

/** `2026-03-02T10:00` or `…T10:00:30` from a datetime-local input, read as China time → RFC 3339 with +08:00. */
export const chinaLocalToRfc3339 = (local: string): string =>
  `${local.length === 16 ? `${local}:00` : local}+08:00`;

/** The reverse, for filling a datetime-local input from an RFC 3339 time. */
export function rfc3339ToChinaLocal(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return d.toISOString().slice(0, 19);
}

/** Today in China time as YYYY-MM-DD. */
export const chinaToday = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A colour class per agency (13 colours in styles.css, by the agency's place in the list). */
export function agencyColour(code: string): string {
  const i = AGENCY_CODES.indexOf(code);
  return `ag-c${(i < 0 ? 0 : i) % 13}`;
}
