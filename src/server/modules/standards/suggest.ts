/**
 * 判定辅助: which judgement-standard clauses best match a free-text hazard description.
 * Offline and deterministic — TF-IDF over Chinese character bigrams (and Latin/number words),
 * cosine similarity. Pure: the index is built from clause rows handed in.
 */
import type { ClauseSuggestion } from '../../../shared/contracts/standards';
import { terms } from '../../text/terms';

export interface ClauseDoc {
  id: string;
  standardId: string;
  standardTitle: string;
  no: string;
  text: string;
  isLeadIn: boolean;
}

export type Suggestion = ClauseSuggestion;

type Vector = Map<string, number>;

function tf(ts: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of ts) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

export class ClauseIndex {
  private readonly vectors: { doc: ClauseDoc; v: Vector; norm: number }[];
  private readonly idf = new Map<string, number>();

  constructor(docs: ClauseDoc[]) {
    // Lead-in sentences ("有下列情形之一的") describe no condition of their own.
    const usable = docs.filter((d) => !d.isLeadIn && d.text.trim().length > 0);
    const df = new Map<string, number>();
    const tfs = usable.map((d) => tf(terms(d.text)));
    for (const m of tfs) for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const n = usable.length;
    for (const [t, f] of df) this.idf.set(t, Math.log((n + 1) / (f + 0.5)));
    this.vectors = usable.map((doc, i) => {
      const v = this.weigh(tfs[i]);
      return { doc, v, norm: Math.hypot(...v.values()) };
    });
  }

  private weigh(counts: Map<string, number>): Vector {
    const v: Vector = new Map();
    for (const [t, c] of counts) {
      const idf = this.idf.get(t);
      if (idf !== undefined && idf > 0) v.set(t, (1 + Math.log(c)) * idf);
    }
    return v;
  }

  /**
   * The best matches for a description. `applies` says which standards apply to the enterprise's
   * industry: those rank first (a restaurant's gas cylinder meets the fire and gas standards before
   * any chemical-plant clause); the rest follow, each group by score.
   */
  suggest(text: string, limit = 5, applies: (standardId: string) => boolean = () => false, minScore = 0.12): Suggestion[] {
    const q = this.weigh(tf(terms(text)));
    const qNorm = Math.hypot(...q.values());
    if (qNorm === 0) return [];
    const scored: Suggestion[] = [];
    for (const { doc, v, norm } of this.vectors) {
      let dot = 0;
      for (const [t, w] of q) {
        const x = v.get(t);
        if (x) dot += w * x;
      }
      if (dot === 0) continue;
      const score = dot / (qNorm * norm);
      if (score >= minScore) {
        scored.push({ clauseId: doc.id, standardId: doc.standardId, standardTitle: doc.standardTitle, no: doc.no, text: doc.text, score: Math.round(score * 1000) / 1000, applies: applies(doc.standardId) });
      }
    }
    // Ties broken by clause id so the answer never depends on iteration order.
    return scored.sort((a, b) => Number(b.applies) - Number(a.applies) || b.score - a.score || a.clauseId.localeCompare(b.clauseId)).slice(0, limit);
  }
}
