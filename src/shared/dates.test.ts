import { describe, expect, it } from 'vitest';
import { shanghaiDate, shanghaiDateOfInstant } from './dates';

describe('Shanghai dates', () => {
  it('the date of an instant in milliseconds equals shanghaiDate, at the edges of days (16:00 UTC) and before 1970', () => {
    const edge = Date.UTC(2025, 11, 31, 16); // 2026-01-01 00:00 in Shanghai
    const cases = [edge - 1, edge, edge + 1, Date.UTC(2024, 1, 28, 16), Date.UTC(2024, 1, 29, 15, 59, 59, 999), 0, -1, Date.UTC(1969, 11, 31, 15, 59), Date.UTC(9999, 11, 31, 15)];
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 1) cases.push(t);
    for (const t of cases) expect(shanghaiDateOfInstant(t)).toBe(shanghaiDate(new Date(t)));
    expect(shanghaiDateOfInstant(edge - 1)).toBe('2025-12-31');
    expect(shanghaiDateOfInstant(edge)).toBe('2026-01-01');
    expect(shanghaiDateOfInstant(-1)).toBe('1970-01-01');
  });
});
