import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows up to the limit in a window, then tells how long to wait', () => {
    const rl = new RateLimiter(3, 60_000);
    expect([rl.hit('ip', 0), rl.hit('ip', 1), rl.hit('ip', 2)]).toEqual([0, 0, 0]);
    expect(rl.hit('ip', 30_000)).toBe(30);
    expect(rl.hit('other', 30_000)).toBe(0);
    expect(rl.hit('ip', 60_000)).toBe(0);
  });
});
