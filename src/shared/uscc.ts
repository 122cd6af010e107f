// 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.
// Algorithm and test vectors: reference/uscc.md.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_FORMAT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i]);
    if (v < 0) throw new Error(`invalid USCC character ${first17[i]}`);
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

export function normalizeUscc(code: string): string {
  return code.trim().toUpperCase();
}

export function isValidUscc(code: string): boolean {
  if (!USCC_FORMAT.test(code)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

export const USCC_ALPHABET = USCC_CHARS;
