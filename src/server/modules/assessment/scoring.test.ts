import { describe, expect, it } from 'vitest';
import { applyVetoes, gradeOf, points, ScoringRule, weightsSumTo100 } from './scoring';

const BANDS = [
  { grade: '优秀', from: 90 },
  { grade: '良好', from: 80 },
  { grade: '合格', from: 60 },
  { grade: '不合格', from: 0 },
];

describe('assessment scoring, on hand-built values', () => {
  it('linear: 0 at one end, full at the other, capped; either direction', () => {
    const rate = { kind: 'linear', zeroAt: 0.6, fullAt: 1 } as const;
    expect([0.5, 0.6, 0.8, 1, 1.2].map((v) => points(rate, 10, v))).toEqual([0, 0, 5, 10, 10]);
    const overdue = { kind: 'linear', zeroAt: 20, fullAt: 0 } as const;
    expect([0, 5, 20, 40].map((v) => points(overdue, 8, v))).toEqual([8, 6, 0, 0]);
    expect(points(rate, 10, null)).toBeNull();
  });
  it('bands: the highest band reached; below every band, nothing', () => {
    const rule: ScoringRule = { kind: 'bands', bands: [{ from: 0.95, share: 1 }, { from: 0.9, share: 0.8 }, { from: 0.8, share: 0.5 }] };
    expect([0.79, 0.8, 0.9, 0.949, 0.95, 1].map((v) => points(rule, 10, v))).toEqual([0, 5, 8, 8, 10, 10]);
  });
  it('deduction: so much per item, never below zero', () => {
    expect([0, 1, 3, 10].map((v) => points({ kind: 'deduction', perItem: 2 }, 5, v))).toEqual([5, 3, 0, 0]);
  });
  it('grades by the bands, each lower bound inclusive', () => {
    expect([100, 90, 89.99, 80, 60, 59.99, 0].map((t) => gradeOf(t, BANDS))).toEqual(['优秀', '优秀', '良好', '良好', '合格', '不合格', '不合格']);
  });
  it('a veto caps the grade and says why; one that would not lower it is not applied', () => {
    const larger = { rule: 'larger_accident', reason: '期内发生较大事故1起（SG-310115-2026-000003）', cap: '良好' };
    expect(applyVetoes('优秀', [larger], BANDS)).toEqual({ grade: '良好', applied: [larger] });
    expect(applyVetoes('合格', [larger], BANDS)).toEqual({ grade: '合格', applied: [] });
    const concealed = { rule: 'concealed', reason: '瞒报事故', cap: '合格' };
    expect(applyVetoes('优秀', [larger, concealed], BANDS)).toEqual({ grade: '合格', applied: [larger, concealed] });
  });
  it('weights must sum to 100; the rules refuse what they cannot score', () => {
    expect(weightsSumTo100([40, 30, 30])).toBe(true);
    expect(weightsSumTo100([40, 30, 29.99])).toBe(false);
    expect(ScoringRule.safeParse({ kind: 'deduction', perItem: 0 }).success).toBe(false);
    expect(ScoringRule.safeParse({ kind: 'bands', bands: [] }).success).toBe(false);
    expect(ScoringRule.safeParse({ kind: 'linear', zeroAt: 0, fullAt: 1 }).success).toBe(true);
  });
});
