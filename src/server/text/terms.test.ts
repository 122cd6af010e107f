import { describe, expect, it } from 'vitest';
import { searchTokens, terms } from './terms';

describe('terms', () => {
  it('makes overlapping bigrams of Chinese runs, in order with Latin words', () => {
    expect(terms('有限空间作业')).toEqual(['有限', '限空', '空间', '间作', '作业']);
    expect(terms('液氨 NH3 罐')).toEqual(['液氨', 'nh3', '罐']);
    expect(terms('YH-310115-2026-000123')).toEqual(['yh', '310115', '2026', '000123']);
    expect(terms('，。！')).toEqual([]);
  });
  it('splits at anything else, characters outside the BMP included, and keeps a lone character', () => {
    expect(terms('消防🚒通道')).toEqual(['消防', '通道']);
    expect(terms('罐a区b')).toEqual(['罐', 'a', '区', 'b']);
    expect(terms('3号库房_A区')).toEqual(['3', '号库', '库房', 'a', '区']);
    expect(terms('')).toEqual([]);
  });
  it('normalises full-width characters', () => {
    expect(terms('ＮＨ３泄漏')).toEqual(['nh3', '泄漏']);
  });
  it('joins fields into one token string', () => {
    expect(searchTokens('配电箱', null, 'A1')).toBe('配电 电箱 a1');
  });
});
