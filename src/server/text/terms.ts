/**
 * Chinese-aware terms, in text order: each run of Chinese characters becomes its overlapping
 * bigrams (a lone character stays itself), each run of Latin letters and digits a lower-cased
 * word. Used for clause suggestions and for the ledger's full-text search, where a 2-character
 * query is one bigram and a longer one a phrase of consecutive bigrams.
 */
const isCjk = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
const isWord = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);

export function terms(text: string): string[] {
  const s = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  // Where the current run of Chinese characters, or of letters and digits, began (-1: none).
  let run = -1;
  let word = -1;
  // One step past the end closes whatever is open. A character outside the BMP (a surrogate
  // pair) is neither kind, like any other separator.
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    const cjk = isCjk(c);
    const letter = !cjk && isWord(c);
    if (!cjk && run >= 0) {
      if (i - run === 1) out.push(s[run]);
      for (let j = run; j + 2 <= i; j++) out.push(s.slice(j, j + 2));
      run = -1;
    }
    if (!letter && word >= 0) {
      out.push(s.slice(word, i));
      word = -1;
    }
    if (cjk && run < 0) run = i;
    if (letter && word < 0) word = i;
  }
  return out;
}

/** The searchable form of some fields: their terms, space-separated, one field after another. */
export function searchTokens(...fields: (string | null | undefined)[]): string {
  return fields
    .filter((f): f is string => !!f)
    .map((f) => terms(f).join(' '))
    .filter(Boolean)
    .join(' ');
}

/** A token naming a district inside search tokens; no Chinese text or code produces it. */
export const districtToken = (districtCode: string) => `zd${districtCode}`;

/**
 * What the ledger's text search sees of a hazard: code, description, location, enterprise name, and
 * its district's token. PostgreSQL stores it in the row (its GIN index reads it); SQLite's FTS5 index
 * computes it itself through the same function (`zb_hazard_tokens`, db/database.ts).
 */
export function hazardSearchTokens(h: { code: string; description: string; location: string; enterpriseName: string; district_code: string }): string {
  return `${searchTokens(h.code, h.description, h.location, h.enterpriseName)} ${districtToken(h.district_code)}`;
}
