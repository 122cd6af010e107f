import { describe, expect, it } from 'vitest';
import { readReference } from '../../seed/reference';
import { ClauseIndex, type ClauseDoc } from './suggest';

const standards = readReference<{ id: string; title: string; clauses: { no: string; text: string; is_lead_in?: boolean }[] }[]>('standards.json');
const docs: ClauseDoc[] = standards.flatMap((s) => s.clauses.map((c) => ({ id: `${s.id}/${c.no}`, standardId: s.id, standardTitle: s.title, no: c.no, text: c.text, isLeadIn: !!c.is_lead_in })));
const index = new ClauseIndex(docs);

describe('clause suggestions', () => {
  it('finds the confined-space clauses for a confined-space description', () => {
    const top = index.suggest('有限空间作业前未进行通风和气体检测，作业人员直接进入污水池');
    expect(top.length).toBeGreaterThan(0);
    expect(top[0].text).toMatch(/有限空间/);
    expect(top[0].score).toBeGreaterThan(0);
    expect(top.map((s) => s.score)).toEqual([...top.map((s) => s.score)].sort((a, b) => b - a));
  });

  it('finds dust-explosion clauses for a dust description', () => {
    const top = index.suggest('铝镁粉尘除尘系统未设置泄爆装置，粉尘爆炸危险场所');
    expect(top[0].text).toMatch(/粉尘/);
  });

  it('is deterministic and never suggests lead-in sentences', () => {
    const a = index.suggest('液氨制冷车间氨泄漏报警装置失效', 10);
    const b = new ClauseIndex([...docs].reverse()).suggest('液氨制冷车间氨泄漏报警装置失效', 10);
    expect(a).toEqual(b);
    const leadIns = new Set(docs.filter((d) => d.isLeadIn).map((d) => d.id));
    expect(a.some((s) => leadIns.has(s.clauseId))).toBe(false);
  });

  it('answers nothing for text unrelated to any clause', () => {
    expect(index.suggest('他喜欢唱歌和跳舞')).toEqual([]);
    expect(index.suggest('')).toEqual([]);
  });
});

describe('ranking by industry', () => {
  const doc = (id: string, standardId: string, text: string): ClauseDoc => ({ id, standardId, standardTitle: standardId, no: id, text, isLeadIn: false });
  const hand = new ClauseIndex([
    doc('chem-1', 'chemical', '液化石油气储罐区未设置可燃气体报警装置，储罐超压'),
    doc('fire-1', 'fire', '厨房燃气钢瓶与明火同室，未设可燃气体报警装置'),
    doc('other', 'mine', '矿井通风系统不完善'),
  ]);
  it('puts every match of an applicable standard before any other, each group by score', () => {
    const text = '液化石油气钢瓶未设可燃气体报警装置';
    const plain = hand.suggest(text, 5);
    expect(plain.map((s) => s.applies)).toEqual(plain.map(() => false));
    const ranked = hand.suggest(text, 5, (id) => id === 'fire');
    expect(ranked[0]).toMatchObject({ clauseId: 'fire-1', applies: true });
    expect(ranked.slice(1).every((s) => !s.applies)).toBe(true);
    expect(new Set(ranked.map((s) => s.clauseId))).toEqual(new Set(plain.map((s) => s.clauseId)));
  });
});
