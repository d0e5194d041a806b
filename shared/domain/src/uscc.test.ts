import { describe, expect, it } from 'vitest';
import { checkUscc, USCC_ALPHABET, withUsccCheck } from './uscc.js';

const EXAMPLE = '91350100M000100Y43';

describe('USCC (GB 32100-2015)', () => {
  it('accepts the example from the standard', () => {
    expect(checkUscc(EXAMPLE)).toEqual({ ok: true, uscc: EXAMPLE });
  });

  it('rejects every single-character change at every position', () => {
    for (let i = 0; i < EXAMPLE.length; i++) {
      for (const ch of USCC_ALPHABET) {
        if (ch === EXAMPLE[i]) continue;
        const changed = EXAMPLE.slice(0, i) + ch + EXAMPLE.slice(i + 1);
        expect(checkUscc(changed).ok, changed).toBe(false);
      }
    }
  });

  it('rejects lower case and characters outside the alphabet', () => {
    expect(checkUscc(EXAMPLE.toLowerCase())).toMatchObject({ ok: false, reason: 'character' });
    expect(checkUscc('91350100I000100Y43')).toMatchObject({ ok: false, reason: 'character' });
  });

  it('rejects the wrong length', () => {
    expect(checkUscc(EXAMPLE.slice(0, 17))).toMatchObject({ ok: false, reason: 'length' });
    expect(checkUscc(EXAMPLE + '0')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkUscc('')).toMatchObject({ ok: false, reason: 'length' });
  });

  it('completes a prefix with its check character', () => {
    expect(withUsccCheck(EXAMPLE.slice(0, 17))).toBe(EXAMPLE);
  });
});
