/**
 * Masking of personal data (个人信息脱敏): natural persons' identity numbers and phone numbers
 * wherever they appear in a payload, and the identity of a complainant. Pure functions over JSON.
 *
 * Who sees the clear values is decided by the caller (`seesPersonalDataOf`): the supervision office
 * and the agency that recorded the data.
 */

/** 350102199001011234 → 3501**********1234: region and last four kept, birth date hidden. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** 13812345678 → 138****5678; short numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(digits.length - 2, 3))}${digits.slice(-2)}`;
}

const MASKED_COMPLAINANT = '***';

/**
 * Returns `value` with personal data masked: every `idNumber` and `phone`, and under a
 * `complainant` key every field, wholly (the complainant's identity is protected, 举报人保护); and
 * whether anything was masked. The input is never changed: what holds masked data is copied, the
 * rest is shared (most events hold no personal data and come back as they are, without a copy).
 *
 * @example
 * maskPersonalData({ complainant: { name: '王五', phone: '13812345678' } });
 * // { value: { complainant: { name: '***', phone: '***' } }, masked: true }
 */
export function maskPersonalData<T>(value: T): { value: T; masked: boolean } {
  const state = { masked: false };
  return { value: walk(value, false, state) as T, masked: state.masked };
}

function walk(value: unknown, inComplainant: boolean, state: { masked: boolean }): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const w = walk(v, inComplainant, state);
      if (w !== v) (copy ??= [...(value as unknown[])])[i] = w;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const v = record[key];
    let w: unknown;
    if (typeof v === 'string' && (key === 'idNumber' || key === 'phone' || inComplainant)) {
      // A complainant is hidden whole: even a partial number could identify a neighbour.
      w = inComplainant ? MASKED_COMPLAINANT : key === 'idNumber' ? maskIdNumber(v) : maskPhone(v);
      state.masked = true;
    } else {
      w = walk(v, inComplainant || key === 'complainant', state);
    }
    if (w !== v) (copy ??= { ...record })[key] = w;
  }
  return copy ?? value;
}
