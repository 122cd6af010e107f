import { describe, expect, it } from 'vitest';
import { ACCIDENT_CATEGORIES, ACCIDENT_REPORTING, ACCIDENT_THRESHOLDS, accidentGrade, gradeReason, maySupplement, reportedLate, type Casualties } from './rules';

const t = ACCIDENT_THRESHOLDS.default;
const c = (over: Partial<Casualties>): Casualties => ({ deaths: 0, missing: 0, seriousInjuries: 0, lossYuan: 0, ...over });
const grade = (over: Partial<Casualties>) => accidentGrade(c(over), t).grade;

describe('accident grades under the national thresholds', () => {
  it('changes grade exactly at each lower bound, for every criterion', () => {
    expect([2, 3, 9, 10, 29, 30].map((deaths) => grade({ deaths }))).toEqual(['general', 'larger', 'larger', 'major', 'major', 'extraordinary']);
    expect([9, 10, 49, 50, 99, 100].map((seriousInjuries) => grade({ seriousInjuries }))).toEqual(['general', 'larger', 'larger', 'major', 'major', 'extraordinary']);
    expect([9_999_999, 10_000_000, 49_999_999, 50_000_000, 99_999_999, 100_000_000].map((lossYuan) => grade({ lossYuan }))).toEqual(['general', 'larger', 'larger', 'major', 'major', 'extraordinary']);
  });

  it('takes the highest grade any criterion reaches, and says which', () => {
    const d = accidentGrade(c({ deaths: 2, seriousInjuries: 12, lossYuan: 60_000_000 }), t);
    expect(d).toMatchObject({ grade: 'major', by: ['lossYuan'] });
    expect(gradeReason(d, c({ deaths: 2, seriousInjuries: 12, lossYuan: 60_000_000 }), t)).toBe('直接经济损失60000000元（≥50000000），达到重大事故标准');
    expect(accidentGrade(c({ deaths: 3, seriousInjuries: 10 }), t).by).toEqual(['deaths', 'seriousInjuries']);
    expect(gradeReason(accidentGrade(c({ deaths: 1 }), t), c({ deaths: 1 }), t)).toContain('均未达到较大事故标准');
  });

  it('counts the missing with the dead only where the rule says so', () => {
    expect(grade({ deaths: 2, missing: 1 })).toBe('general');
    expect(accidentGrade(c({ deaths: 2, missing: 1 }), { ...t, missingCountAsDeaths: true }).grade).toBe('larger');
  });

  it('a rule whose bands do not rise is refused', () => {
    expect(ACCIDENT_THRESHOLDS.schema.safeParse({ ...t, major: { ...t.major, deaths: 3 } }).success).toBe(false);
    expect(ACCIDENT_THRESHOLDS.schema.safeParse(t).success).toBe(true);
  });

  it('lists the 20 categories of GB 6441', () => {
    expect(ACCIDENT_CATEGORIES).toHaveLength(20);
    expect(new Set(ACCIDENT_CATEGORIES).size).toBe(20);
  });
});

describe('accident reporting deadlines', () => {
  const r = ACCIDENT_REPORTING.default;
  it('a report more than an hour after the accident is late, at the minute', () => {
    expect(reportedLate('2026-03-01T02:00:00.000Z', '2026-03-01T03:00:00.000Z', r)).toBe(false);
    expect(reportedLate('2026-03-01T02:00:00.000Z', '2026-03-01T03:00:00.001Z', r)).toBe(true);
  });
  it('casualty changes are taken within 30 days, 7 for fire and road traffic', () => {
    const at = '2026-03-01T02:00:00.000Z';
    expect(maySupplement(at, '2026-03-31T02:00:00.000Z', false, r)).toBe(true);
    expect(maySupplement(at, '2026-03-31T02:00:00.001Z', false, r)).toBe(false);
    expect(maySupplement(at, '2026-03-08T02:00:00.000Z', true, r)).toBe(true);
    expect(maySupplement(at, '2026-03-08T02:00:01.000Z', true, r)).toBe(false);
  });
});
