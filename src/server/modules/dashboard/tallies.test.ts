import { describe, expect, it } from 'vitest';
import { storedInstant } from '../../db/instants';
import { TallyDelta, type TallyHazard } from './tallies';

const base: TallyHazard = {
  city_code: '310000',
  district_code: '310115',
  street_code: '310115001',
  industry_code: '26',
  enterprise_id: 'e1',
  grade: 'general',
  source: 'self_check',
  supervision_level: 'none',
  status: 'rectifying',
  found_at: storedInstant('2025-03-31T17:00:00.000Z'), // 1 April in Shanghai
  closed_at: null,
  deadline: '2025-04-30',
  on_spot: false,
};

const nonZero = (d: TallyDelta) =>
  new Map(
    [...d.entries()]
      .filter((e) => e.n !== 0)
      .map((e) => [JSON.stringify(e.key), e.n]),
  );

/** Hazards of many kinds, in several places: a fixed pseudo-random sequence. */
function hazards(n: number): TallyHazard[] {
  let x = 12345;
  const pick = <T>(xs: readonly T[]) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return xs[x % xs.length];
  };
  const out: TallyHazard[] = [];
  for (let i = 0; i < n; i++) {
    const status = pick(['reported', 'rectifying', 'pending_acceptance', 'closed', 'voided'] as const);
    const found = storedInstant(`2025-${pick(['01', '06', '12'])}-${pick(['01', '15', '31'].slice(0, 2))}T${pick(['00', '15', '23'])}:30:00.000Z`);
    const closed = status === 'closed' ? found + pick([0, 3, 40, 400]) * 86_400_000 : null;
    out.push({
      ...base,
      district_code: pick(['310115', '310104']),
      street_code: pick<string | null>(['310115001', '310115002', null]),
      industry_code: pick(['26', '47', '59']),
      enterprise_id: pick(['e1', 'e2', 'e3']),
      grade: pick(['general', 'major']),
      source: pick(['self_check', 'inspection']),
      supervision_level: pick(['none', 'city']),
      status,
      found_at: found,
      closed_at: closed,
      deadline: pick<string | null>(['2025-04-30', '2026-01-10', null]),
      on_spot: pick([true, false]),
    });
  }
  return out;
}

describe('hazard tallies delta', () => {
  it('an open hazard with a deadline counts once in each of its 33 cells: found, open and due (day, month, year) in A/R/I, found and open in S/X', () => {
    const d = new TallyDelta();
    d.count(base, 1);
    const cells = nonZero(d);
    expect(cells.size).toBe(5 * 5 + 4 * 2);
    expect([...cells.values()].every((n) => n === 1)).toBe(true);
    const keys = [...cells.keys()].map((k) => JSON.parse(k) as Record<string, string>);
    // Found in April by Shanghai's calendar (31 March in UTC), the year found kept with it.
    expect(keys.filter((k) => k.measure === 'found' && k.grouping === 'A').map((k) => [k.district_code, k.period, k.extra])).toEqual([
      ['310115', '2025-04', '2025'],
      ['*', '2025-04', '2025'],
    ]);
    expect(keys.filter((k) => k.measure.startsWith('due') && k.grouping === 'R').map((k) => k.period).sort()).toEqual(['2025', '2025-04', '2025-04-30']);
    expect([...d.enterprises.values()]).toEqual([{ enterprise_id: 'e1', district_code: '310115', street_code: '310115001', city_code: '310000', industry_code: '26', open: 1, open_major: 0 }]);
  });

  it('a hazard closed on the spot counts closed and spot in A/R/I, found in S/X, and its days to closure in D', () => {
    const d = new TallyDelta();
    d.count({ ...base, status: 'closed', closed_at: base.found_at + 2.5 * 86_400_000, on_spot: true }, 1);
    const keys = [...nonZero(d).keys()].map((k) => JSON.parse(k) as Record<string, string>);
    expect(keys.length).toBe(5 * 3 + 4 + 2);
    expect(keys.filter((k) => k.grouping === 'D').map((k) => [k.district_code, k.period, k.extra])).toEqual([
      ['310115', '2025-04', '2'],
      ['*', '2025-04', '2'],
    ]);
    expect(keys.some((k) => k.measure === 'open' || k.measure.startsWith('due'))).toBe(false);
    expect(d.enterprises.size).toBe(0);
  });

  it('counts every hazard of many kinds once in its found cells (voided ones nowhere), and taking each away again leaves nothing', () => {
    const all = hazards(3000);
    const d = new TallyDelta();
    for (const h of all) d.count(h, 1);
    expect(nonZero(d).size).toBeGreaterThan(200);
    // The rest once each in A's city-wide found cells.
    const found = [...d.entries()].filter((e) => e.key.grouping === 'A' && e.key.district_code === '*' && e.key.measure === 'found').reduce((n, e) => n + e.n, 0);
    expect(found).toBe(all.filter((h) => h.status !== 'voided').length);
    for (const h of all) d.count(h, -1);
    expect(nonZero(d).size).toBe(0);
    expect([...d.enterprises.values()].every((e) => e.open === 0 && e.open_major === 0)).toBe(true);
  });
});
