/**
 * Chinese-aware terms, in text order: each run of Chinese characters becomes its overlapping
 * bigrams (a lone character stays itself), each run of Latin letters and digits a lower-cased
 * word. Used for clause suggestions and for the ledger's full-text search, where a 2-character
 * query is one bigram and a longer one a phrase of consecutive bigrams.
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const WORD = /[a-z0-9]/;

export function terms(text: string): string[] {
  const out: string[] = [];
  let run = '';
  let word = '';
  const flushRun = () => {
    if (run.length === 1) out.push(run);
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    run = '';
  };
  const flushWord = () => {
    if (word) out.push(word);
    word = '';
  };
  for (const ch of text.normalize('NFKC').toLowerCase()) {
    if (CJK.test(ch)) {
      flushWord();
      run += ch;
    } else if (WORD.test(ch)) {
      flushRun();
      word += ch;
    } else {
      flushRun();
      flushWord();
    }
  }
  flushRun();
  flushWord();
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
