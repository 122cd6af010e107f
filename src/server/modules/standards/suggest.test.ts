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
