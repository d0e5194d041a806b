/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015.
 *
 * @example
 * checkUscc('91350100M000100Y43'); // { ok: true, uscc: '91350100M000100Y43' }
 * checkUscc('91350100M000100Y44'); // { ok: false, reason: 'check_character', ... }
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccProblem = 'length' | 'character' | 'check_character';
export type UsccCheck = { ok: true; uscc: string } | { ok: false; reason: UsccProblem; message: string };

const MESSAGES: Record<UsccProblem, string> = {
  length: '统一社会信用代码应为18位 (must be 18 characters)',
  character:
    '统一社会信用代码含非法字符，只允许数字和大写字母（不含I、O、S、V、Z） (only digits and upper-case letters except I, O, S, V, Z)',
  check_character: '统一社会信用代码校验位错误 (check character does not match)',
};

/** The check character for the first 17 characters, or undefined if one is not in the alphabet. */
export function usccCheckCharacter(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) return undefined;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET.charAt(check);
}

export function checkUscc(input: string): UsccCheck {
  if (input.length !== 18) return { ok: false, reason: 'length', message: MESSAGES.length };
  for (const ch of input) {
    if (!USCC_ALPHABET.includes(ch)) return { ok: false, reason: 'character', message: MESSAGES.character };
  }
  if (usccCheckCharacter(input.slice(0, 17)) !== input.charAt(17)) {
    return { ok: false, reason: 'check_character', message: MESSAGES.check_character };
  }
  return { ok: true, uscc: input };
}

export const isValidUscc = (input: string): boolean => checkUscc(input).ok;

/** Completes 17 characters with their check character: handy for tests and demo data. */
export function withUsccCheck(first17: string): string {
  const check = usccCheckCharacter(first17);
  if (check === undefined || first17.length !== 17) throw new RangeError(`not a USCC prefix: ${first17}`);
  return first17 + check;
}
