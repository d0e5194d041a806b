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
 * Returns a copy of `value` with personal data masked: every `idNumber` and `phone`, and under a
 * `complainant` key every field, wholly (the complainant's identity is protected, 举报人保护); and whether
 * anything was masked.
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
  if (Array.isArray(value)) return value.map((v) => walk(v, inComplainant, state));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && (key === 'idNumber' || key === 'phone' || inComplainant)) {
      // A complainant is hidden whole: even a partial number could identify a neighbour.
      out[key] = inComplainant ? MASKED_COMPLAINANT : key === 'idNumber' ? maskIdNumber(v) : maskPhone(v);
      state.masked = true;
    } else {
      out[key] = walk(v, inComplainant || key === 'complainant', state);
    }
  }
  return out;
}
