import { describe, expect, it } from 'vitest';
import { isOverdue } from '../modules/hazards/workflow';
import { generateDemoHazards, type HazardSeedEnterprise } from './demo-hazards';
import { shownFrom } from '../modules/hazards/event-chain';

const enterprises: HazardSeedEnterprise[] = Array.from({ length: 50 }, (_, i) => ({
  id: `e${i}`,
  cityCode: '310000',
  districtCode: i % 2 ? '310115' : '310101',
  streetCode: null,
  industryCode: '34',
  name: `企业${i}`,
  safetyManagerName: `安全员${i}`,
}));
const now = new Date('2026-11-29T04:00:00Z');
const CLAUSES = [
  { id: 'c1', text: '粉尘爆炸危险场所的除尘系统未设置泄爆装置的。' },
  { id: 'c2', text: '有限空间作业未落实作业审批的；' },
  { id: 'c3', text: '未对承包单位的安全生产工作统一协调、管理的。' },
];
const numbers = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
const gen = (seed = 7) => {
  let n = 0;
  return generateDemoHazards({ enterprises, clausesFor: (code) => (code === '34' ? CLAUSES : []), count: 20_000, now, seed, newId: () => `id${++n}`, nums: numbers(20_000), dialect: 'postgres' });
};

describe('demo hazards', () => {
  const g = gen();
  const share = (pred: (h: (typeof g.hazards)[number]) => boolean) => g.hazards.filter(pred).length / g.hazards.length;

  it('is deterministic', () => {
    expect(gen()).toEqual(g);
    expect(gen(8).hazards[0].code).toBeDefined();
    expect(gen(8)).not.toEqual(g);
  });

  it('has realistic proportions', () => {
    expect(share((h) => h.grade === 'major')).toBeGreaterThan(0.02);
    expect(share((h) => h.grade === 'major')).toBeLessThan(0.07);
    expect(share((h) => h.status === 'closed')).toBeGreaterThan(0.6);
    const open = (h: (typeof g.hazards)[number]) => ['reported', 'rectifying', 'pending_acceptance'].includes(h.status);
    expect(g.hazards.filter((h) => open(h) && h.found_at < Date.parse('2024-01-01')).length).toBeGreaterThan(0);
    expect(g.hazards.filter((h) => isOverdue(h, now)).length).toBeGreaterThan(0);
    expect(g.hazards.filter((h) => h.supervision_level === 'city').length).toBeGreaterThan(0);
    expect(g.hazards.filter((h) => h.supervision_level === 'district').length).toBeGreaterThan(0);
    const fixed = new Set(g.events.filter((e) => e.action === 'fix_on_spot').map((e) => e.hazard_num));
    expect(fixed.size / g.hazards.length).toBeGreaterThan(0.1);
    expect(g.events.some((e) => e.action === 'reject')).toBe(true);
    expect(g.hazards.every((h) => h.found_at >= Date.parse('2022-12-31T16:00:00.000Z') && h.found_at <= now.getTime())).toBe(true);
  });

  it('keeps each hazard consistent with its timeline', () => {
    const byHazard = new Map<number, typeof g.events>();
    for (const e of g.events) byHazard.set(e.hazard_num, [...(byHazard.get(e.hazard_num) ?? []), e]);
    for (const h of g.hazards) {
      const evs = byHazard.get(h.num)!;
      expect(evs[0].action).toBe('report');
      expect(evs.at(-1)!.to_status).toBe(h.status);
      expect(evs.map((e) => e.seq)).toEqual(evs.map((_, i) => i + 1));
      // Each step starts where the one before ended; the row keeps no copy of it (event-chain.ts).
      for (let i = 1; i < evs.length; i++) expect([evs[i].from_status, shownFrom(evs[i].from_status, evs[i - 1].to_status)]).toEqual([null, evs[i - 1].to_status]);
      expect(h.version).toBe(evs.length);
      // A major hazard is what its cited clause describes; a general one cites nothing.
      const cited = g.clauses.filter((c) => c.hazard_id === h.id).map((c) => CLAUSES.find((x) => x.id === c.clause_id)!);
      if (h.grade === 'major') expect(cited.map((c) => c.text.startsWith(h.description))).toEqual([true]);
      else expect(cited).toEqual([]);
      if (h.grade === 'major' && h.deadline) expect(JSON.parse(h.plan_json!)).toMatchObject({ measures: expect.any(String), fundsFen: expect.any(Number), contingencyPlan: expect.any(String) });
    }
    expect(new Set(g.hazards.map((h) => h.code)).size).toBe(g.hazards.length);
  });
});

describe('demo hazards of an industry no standard covers', () => {
  it('are all general: no clause, no major grade', () => {
    let n = 0;
    const g = generateDemoHazards({ enterprises: enterprises.map((e) => ({ ...e, industryCode: '99' })), clausesFor: () => [], count: 2_000, now, newId: () => `x${++n}`, nums: numbers(2_000), dialect: 'postgres' });
    expect(g.hazards.every((h) => h.grade === 'general')).toBe(true);
    expect(g.clauses).toEqual([]);
  });
});
