/**
 * 考核评分 (#19, the assessment module), pure: how an indicator's value becomes points under its scoring rule — linear
 * between two values, bands, or a count with a deduction per item — how a total becomes a grade
 * under the score bands, and how a veto (一票否优) caps the grade whatever the score, saying why.
 * The assessment runs (later) apply these to each unit's values; the scheme itself is configuration.
 */

import { type GradeBand, type ScoringRule } from '../../../shared/contracts/assessment';

export { GradeBand, ScoringRule } from '../../../shared/contracts/assessment';

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Points for a value under a rule, out of `weight`; a value not known scores null (the office enters it, or it is left out). */
export function points(rule: ScoringRule, weight: number, value: number | null): number | null {
  if (value === null || Number.isNaN(value)) return null;
  switch (rule.kind) {
    case 'linear': {
      if (rule.fullAt === rule.zeroAt) return value === rule.fullAt ? weight : 0;
      const share = (value - rule.zeroAt) / (rule.fullAt - rule.zeroAt);
      return round2(weight * Math.min(1, Math.max(0, share)));
    }
    case 'bands': {
      const reached = [...rule.bands].sort((a, b) => b.from - a.from).find((b) => value >= b.from);
      return round2(weight * (reached?.share ?? 0));
    }
    case 'deduction':
      return round2(Math.min(weight, Math.max(0, weight - rule.perItem * value)));
  }
}

/** The grade of a total: the highest band it reaches (bands by `from`, the lowest band normally from 0). */
export function gradeOf(total: number, bands: readonly GradeBand[]): string {
  const sorted = [...bands].sort((a, b) => b.from - a.from);
  return (sorted.find((b) => total >= b.from) ?? sorted[sorted.length - 1]).grade;
}

/** A veto: when its condition holds for a unit, its grade is at most `cap` (the next band down from excellent, typically). */
export interface VetoHit {
  rule: string;
  reason: string;
  cap: string;
}

/**
 * The grade after vetoes: the lowest of the score's grade and every cap that applies, in the bands'
 * order (best first). Answers the grade and the vetoes that changed it, each with its reason.
 */
export function applyVetoes(grade: string, hits: readonly VetoHit[], bands: readonly GradeBand[]): { grade: string; applied: VetoHit[] } {
  const order = [...bands].sort((a, b) => b.from - a.from).map((b) => b.grade);
  const rank = (g: string) => (order.indexOf(g) === -1 ? order.length : order.indexOf(g));
  let out = grade;
  const applied: VetoHit[] = [];
  for (const h of hits) {
    if (rank(h.cap) > rank(grade)) applied.push(h);
    if (rank(h.cap) > rank(out)) out = h.cap;
  }
  return { grade: out, applied };
}

/** Weights of a scheme must sum to 100 (to the hundredth). */
export const weightsSumTo100 = (weights: readonly number[]) => Math.abs(weights.reduce((a, b) => a + b, 0) - 100) < 0.005;
