import { describe, expect, it } from 'vitest';
import { shanghaiDate, shanghaiDateOfInstant, shanghaiDayStartOfInstant } from './dates';

/** The calendar date at UTC+8 as the platform's time-zone data gives it (Etc/GMT-8: UTC+8 all year, as the rule says; Asia/Shanghai had summer time 1986–1991). */
const utc8 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Etc/GMT-8', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('Shanghai dates', () => {
  const edge = Date.UTC(2025, 11, 31, 16); // 2026-01-01 00:00 in Shanghai
  const cases = [edge - 1, edge, edge + 1, Date.UTC(2024, 1, 28, 16), Date.UTC(2024, 1, 29, 15, 59, 59, 999), 0, -1, Date.UTC(1969, 11, 31, 15, 59), Date.UTC(1988, 6, 1, 15, 30), Date.UTC(9999, 11, 31, 15)];
  for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 1) cases.push(t);

  it('the date of an instant is its calendar date at UTC+8, at the edges of days (16:00 UTC), before 1970 and in the years Shanghai kept summer time', () => {
    for (const t of cases) {
      expect(shanghaiDateOfInstant(t)).toBe(utc8.format(t));
      expect(shanghaiDate(new Date(t))).toBe(utc8.format(t));
    }
    expect(shanghaiDateOfInstant(edge - 1)).toBe('2025-12-31');
    expect(shanghaiDateOfInstant(edge)).toBe('2026-01-01');
    expect(shanghaiDateOfInstant(-1)).toBe('1970-01-01');
  });

  it('the Shanghai day of an instant begins at 16:00 UTC the day before, and holds the instant', () => {
    expect(shanghaiDayStartOfInstant(edge)).toBe(edge);
    expect(shanghaiDayStartOfInstant(edge - 1)).toBe(edge - 86_400_000);
    expect(shanghaiDayStartOfInstant(edge + 86_399_999)).toBe(edge);
    for (const t of cases) {
      const start = shanghaiDayStartOfInstant(t);
      expect(start).toBeLessThanOrEqual(t);
      expect(t - start).toBeLessThan(86_400_000);
      expect(utc8.format(start)).toBe(utc8.format(t));
      expect(utc8.format(start - 1)).not.toBe(utc8.format(t));
    }
  });
});
