/**
 * A clean install on the Node this project targets: every locked package's `engines.node` accepts
 * the running Node (npm would warn EBADENGINE otherwise, and such packages may use APIs it lacks).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const parts = (v: string) => v.replace(/^v/, '').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : null));

function compare(a: number[], b: (number | null)[]): number {
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/** npm's range forms found in lockfiles: `*`, `>=`, `>`, `^`, bare or `x` versions, spaces and `||`. */
function satisfies(version: string, range: string): boolean {
  const v = parts(version) as number[];
  return range.split('||').some((alt) => {
    const comparators = alt.trim().replace(/(>=|>|\^)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.every((c) => {
      if (c === '*') return true;
      const m = /^(>=|>|\^)?(.+)$/.exec(c)!;
      const want = parts(m[2]);
      if (m[1] === '>=') return compare(v, want) >= 0;
      if (m[1] === '>') return compare(v, want) > 0;
      if (m[1] === '^') return v[0] === want[0] && compare(v, want) >= 0;
      return want.every((p, i) => p === null || p === v[i]);
    });
  });
}

describe('install', () => {
  it('reads the range forms of the lockfile', () => {
    expect(satisfies('v20.20.2', '>=20.19')).toBe(true);
    expect(satisfies('v20.20.2', '>=22')).toBe(false);
    expect(satisfies('v20.20.2', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('v20.18.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('v20.20.2', '18 || 20 || >=22')).toBe(true);
    expect(satisfies('v20.20.2', '20.x || 22.x')).toBe(true);
    expect(satisfies('v20.20.2', '>= 0.8')).toBe(true);
    expect(satisfies('v20.20.2', '>=16 || 14 >=14.17')).toBe(true);
    expect(satisfies('v20.20.2', '*')).toBe(true);
  });

  it('locks no package that refuses the running Node', () => {
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, { engines?: { node?: string } }> };
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => typeof p.engines?.node === 'string' && !satisfies(process.version, p.engines.node))
      .map(([name, p]) => `${name} wants node ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });
});
