/**
 * Cell parsers for department exports: local dates and times (Asia/Shanghai), amounts in yuan,
 * lists, Chinese labels for enums. Each returns a value or a message for the report.
 */
import { AGENCIES, AGENCY_CODES } from '@hub/domain';

export type Cell<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Cell<T> => ({ ok: true, value });
const bad = (message: string): Cell<never> => ({ ok: false, message });

/** `2026-03-02`, `2026/3/2 9:30`, `2026-03-02 09:30:15`, `2026年3月2日 9时30分` → RFC 3339 at +08:00. */
export function parseLocalDateTime(raw: string): Cell<string> {
  const s = raw.trim();
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2}))?秒?分?)?$/.exec(
      s,
    );
  if (!m) return bad(`无法识别的日期时间 (unrecognised date/time): "${raw}"，应如 2026-03-02 09:30`);
  const [, y, mo, d, h = '0', mi = '0', se = '0'] = m;
  const pad = (v: string) => v.padStart(2, '0');
  const iso = `${y}-${pad(mo!)}-${pad(d!)}T${pad(h)}:${pad(mi)}:${pad(se)}+08:00`;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const exists = day.getUTCMonth() === Number(mo) - 1 && day.getUTCDate() === Number(d);
  if (!exists || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) {
    return bad(`日期时间不存在 (no such date/time): "${raw}"`);
  }
  return ok(iso);
}

/** `1,234.5` yuan → 123450 fen, exactly (no floating point). */
export function parseYuanToFen(raw: string): Cell<number> {
  const s = raw
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/元$/, '');
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return bad(`金额格式错误 (invalid amount): "${raw}"，应如 1000.00`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return ok(m[1] === '-' ? -fen : fen);
}

/** Items separated by 、，,；; or whitespace. */
export const splitList = (raw: string): string[] =>
  raw
    .split(/[、，,；;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A label among synonyms (each key lists the Chinese words that mean it). */
export function parseLabel<T extends string>(
  raw: string,
  labels: Record<T, readonly string[]>,
  what: string,
): Cell<T> {
  const s = raw.trim();
  for (const [value, words] of Object.entries(labels) as [T, readonly string[]][]) {
    if (s === value || words.some((w) => s === w || s.includes(w))) return ok(value);
  }
  const known = Object.values<readonly string[]>(labels)
    .map((w) => w[0])
    .join('、');
  return bad(`无法识别的${what} (unrecognised value): "${raw}"，可用 (one of): ${known}`);
}

/** An agency by code (`GSJ`) or by name (`县工商局`, `工商局`). */
export function parseAgency(raw: string): Cell<string> {
  const s = raw.trim();
  if (AGENCY_CODES.includes(s.toUpperCase())) return ok(s.toUpperCase());
  const byName = AGENCY_CODES.find((c) => {
    const name = AGENCIES[c]?.name ?? '';
    return name === s || name === `县${s}`;
  });
  return byName ? ok(byName) : bad(`未知的执法部门 (unknown agency): "${raw}"`);
}

export const parseBool = (raw: string): boolean => /^(是|y|yes|true|1|重大)$/i.test(raw.trim());
