import { describe, expect, it } from 'vitest';
import { pickInspectors, poolHash, shuffled, uniformIndex, walkDraw } from './draw-algorithm';

/** The draw's arithmetic, pinned to vectors computed independently (the README's Python), so anyone's recomputation agrees. */
describe('sha256-fisher-yates-v1', () => {
  const pool = Array.from({ length: 10 }, (_, k) => `e${String(k).padStart(2, '0')}`);

  it('matches the published recipe', () => {
    expect(uniformIndex('abc', 'e:5', 1000)).toBe(949);
    expect(uniformIndex('9f3a', 'i:x:1', 7)).toBe(5);
    expect([...shuffled(pool, 'seed-1')]).toEqual(['e07', 'e00', 'e03', 'e08', 'e02', 'e01', 'e04', 'e06', 'e09', 'e05']);
    expect(pickInspectors(['u4', 'u1', 'u3', 'u2'], 2, 'seed-1', 'e03')).toEqual(['u2', 'u3']);
    expect(poolHash(['a', 'b'])).toBe('7e18f737311b2dc3b2f269dd78396b0351f14fb66efa879f768cb23181883c78');
  });

  it('walks the shuffled pool, skips who cannot be staffed, and stops at the unknown for the caller to fetch', () => {
    const cands: Record<string, string[]> = Object.fromEntries(pool.map((e) => [e, ['u1', 'u2', 'u3']]));
    cands.e00 = ['u1']; // cannot be staffed with two
    const r = walkDraw(pool, 'seed-1', 3, 2, (id) => cands[id]);
    expect(r.enterpriseIds).toEqual(['e07', 'e03', 'e08']);
    expect(r.skipped).toEqual(['e00']);
    expect(r.assignments.every((a) => a.inspectorIds.length === 2)).toBe(true);
    // Not knowing e03's candidates yet, the walk stops there (gathering up to `lookahead` further unknowns).
    const partial = walkDraw(pool, 'seed-1', 3, 2, (id) => (id === 'e03' ? undefined : cands[id]), 1);
    expect(partial.unknown).toEqual(['e03']);
    expect(partial.enterpriseIds).toEqual(['e07']);
    // Too few to staff: the walk is exhausted short of the count.
    expect(walkDraw(pool, 'seed-1', 10, 2, (id) => cands[id])).toMatchObject({ exhausted: true, skipped: ['e00'] });
  });

  it('a different seed or pool gives a different draw', () => {
    const a = walkDraw(pool, 'seed-1', 5, 1, () => ['u1']).enterpriseIds;
    expect(walkDraw(pool, 'seed-2', 5, 1, () => ['u1']).enterpriseIds).not.toEqual(a);
    expect(walkDraw(pool.slice(1), 'seed-1', 5, 1, () => ['u1']).enterpriseIds).not.toEqual(a);
  });
});
