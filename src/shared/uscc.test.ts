import { describe, expect, it } from 'vitest';
import { isValidUscc, normalizeUscc, usccCheckChar } from './uscc';

describe('统一社会信用代码 check character', () => {
  it.each(['91310000132260250X', '9131000013221158XC', '91310000132200821H', '91310000132235899W', '91310000132213155N', '91350100M000100Y43'])(
    'accepts the verified valid code %s',
    (code) => expect(isValidUscc(code)).toBe(true),
  );
  it.each([
    ['91350100M000100Y4Z', '3'],
    ['913100001322105445', 'K'],
    ['91310115MA1H8R7C6D', '7'],
    ['91310000132201347P', '1'],
    ['913100001322000000', 'Y'],
  ])('rejects %s whose check character should be %s', (code, expected) => {
    expect(isValidUscc(code)).toBe(false);
    expect(usccCheckChar(code.slice(0, 17))).toBe(expected);
  });
  it('rejects wrong length, forbidden letters and lower case', () => {
    expect(isValidUscc('91310000132260250')).toBe(false);
    expect(isValidUscc('91310000132260250XX')).toBe(false);
    expect(isValidUscc('9131000013226025OX')).toBe(false);
    expect(isValidUscc('91310000132260250x')).toBe(false);
    expect(isValidUscc(normalizeUscc(' 91310000132260250x '))).toBe(true);
  });
});
