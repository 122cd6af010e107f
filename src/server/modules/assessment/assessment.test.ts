import JSZip from 'jszip';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { periodSpan } from './indicators';

describe('assessment periods', () => {
  it('are Shanghai days from the first to the last of a month, quarter or year', () => {
    expect(periodSpan('2026Q4')).toMatchObject({ kind: 'quarter', from: '2026-10-01', to: '2026-12-31' });
    expect(periodSpan('2024Q1')).toMatchObject({ from: '2024-01-01', to: '2024-03-31' });
    expect(periodSpan('2024-02')).toMatchObject({ kind: 'month', from: '2024-02-01', to: '2024-02-29' });
    expect(periodSpan('2025')).toMatchObject({ kind: 'year', from: '2025-01-01', to: '2025-12-31' });
  });
});

/** 考核评估 (#19) on both databases: the scheme, the computed indicators against the lists behind them, vetoes, frozen runs, the 季度点评, accountability. */
describe.each(DIALECTS)('district assessment on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-12-05T02:00:00Z');
  const who = ['city', 'pudong', 'huangpu', 'ent-pd', 'ent-hp', 'expert-1', 'custodian'] as const;
  type Who = (typeof who)[number];
  const c = {} as Record<Who, string>;
  let entPd: string;
  let entHp: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 80, demoHazards: 600, demoEnforcement: true, demoTips: true, demoTasks: true, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 10_000_000, SESSION_ABSOLUTE_HOURS: 100_000 } });
    for (const k of who) c[k] = await t.login(k);
    const ent = async (u: string) => (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', u).executeTakeFirstOrThrow()).enterprise_id!;
    entPd = await ent('ent-pd');
    entHp = await ent('ent-hp');
  }, 240_000);
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const send = (k: Who, method: 'POST' | 'PUT', url: string, payload: unknown) => t.as(c[k], { method, url, payload: payload as object });
  const accident = (over: object) => ({ occurredAt: '2026-10-20T01:00:00.000Z', reportedAt: '2026-10-20T01:30:00.000Z', districtCode: '310115', category: '高处坠落', deaths: 1, seriousInjuries: 0, directLossYuan: 100_000, narrative: '作业人员在脚手架上坠落，未系安全带。', ...over });
  /** The API list a web link points at, and its total. */
  const followLink = async (link: string) => {
    const [path, query] = link.split('?');
    const q = new URLSearchParams(query);
    const api = path === '/assessment' ? '/api/accountability' : path === '/enforcement' ? '/api/inspections' : `/api${path}`;
    q.delete('view');
    q.set('pageSize', '200');
    const r = await get('city', `${api}?${q}`);
    expect(r.statusCode, `${link}: ${r.body}`).toBe(200);
    return r.json() as { total: number; items: { deaths?: number }[] };
  };

  it('lists the computable indicators and answers the labelled example scheme until one is saved', async () => {
    const ind = (await get('city', '/api/assessment/indicators')).json().items;
    expect(ind.map((i: { key: string }) => i.key)).toEqual(expect.arrayContaining(['hazards.overdue_major', 'hazards.open_major', 'hazards.major_on_time_rate', 'accidents.count', 'accidents.deaths_change', 'selfchecks.on_time_rate', 'tips.verified_on_time_rate', 'meetings.held', 'accountability.count']));
    const ex = (await get('city', '/api/assessment/schemes/2026')).json();
    expect(ex).toMatchObject({ year: 2026, version: 0, example: true });
    expect(ex.note).toContain('示例');
    expect(ex.indicators.reduce((n: number, i: { weight: number }) => n + i.weight, 0)).toBe(100);
    expect((await get('pudong', '/api/assessment/schemes/2026')).statusCode).toBe(200);
    for (const k of ['ent-pd', 'expert-1', 'custodian'] as const) expect((await get(k, '/api/assessment/schemes/2026')).json().code, k).toBe('FORBIDDEN');
  });

  it('refuses a scheme whose weights do not sum to 100, an unknown indicator, a cap that is not a grade, a stale version, and anyone but the city office', async () => {
    const ex = (await get('city', '/api/assessment/schemes/2026')).json();
    const body = { version: 0, title: ex.title, note: ex.note, indicators: ex.indicators, grades: ex.grades, vetoes: ex.vetoes };
    const bad = async (over: object, path: string) => {
      const r = (await send('city', 'PUT', '/api/assessment/schemes/2026', { ...body, ...over })).json();
      expect(r.code, JSON.stringify(over).slice(0, 80)).toBe('VALIDATION_FAILED');
      expect(r.errors[0].path).toBe(path);
    };
    await bad({ indicators: [{ ...ex.indicators[0], weight: 21 }, ...ex.indicators.slice(1)] }, 'indicators');
    expect((await send('city', 'PUT', '/api/assessment/schemes/2026', { ...body, indicators: [{ ...ex.indicators[0], weight: 19.99 }, ...ex.indicators.slice(1)] })).json().detail).toContain('99.99');
    await bad({ indicators: [{ ...ex.indicators[0], source: { kind: 'computed', indicator: 'hazards.nothing' } }, ...ex.indicators.slice(1)] }, 'indicators.0.source.indicator');
    await bad({ indicators: [{ ...ex.indicators[1], weight: ex.indicators[0].weight }, ...ex.indicators.slice(1)] }, 'indicators.1.key');
    await bad({ vetoes: [{ kind: 'concealed_accident', cap: '很好' }] }, 'vetoes.0.cap');
    await bad({ grades: [{ grade: '优秀', from: 90 }, { grade: '合格', from: 60 }] }, 'grades');
    expect((await send('pudong', 'PUT', '/api/assessment/schemes/2026', body)).json().code).toBe('FORBIDDEN');
    const saved = await send('city', 'PUT', '/api/assessment/schemes/2026', body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 1, example: false, updatedBy: expect.any(String) });
    expect((await send('city', 'PUT', '/api/assessment/schemes/2026', body)).json().code).toBe('VERSION_CONFLICT');
  });

  it('computes every indicator for every district equal to a direct count and to the list it links to', async () => {
    clock = Date.parse('2026-12-05T02:00:00Z');
    // Accidents in the quarter and the same days last year; an accountability record against Pudong.
    await send('pudong', 'POST', '/api/accidents', accident({}));
    await send('pudong', 'POST', '/api/accidents', accident({ occurredAt: '2026-11-03T01:00:00.000Z', reportedAt: '2026-11-03T01:20:00.000Z', deaths: 2 }));
    await send('pudong', 'POST', '/api/accidents', accident({ occurredAt: '2025-10-11T01:00:00.000Z', reportedAt: '2025-10-11T01:20:00.000Z', deaths: 1 }));
    await send('huangpu', 'POST', '/api/accidents', accident({ districtCode: '310101', occurredAt: '2025-11-11T01:00:00.000Z', reportedAt: '2025-11-11T01:20:00.000Z', deaths: 2 }));
    const rec = await send('city', 'POST', '/api/accountability', { kind: 'interview', targetKind: 'district', districtCode: '310115', reason: '重大隐患逾期未整改较多', onDate: '2026-11-20', byName: '市安委办', followUpDue: '2026-12-20' });
    expect(rec.statusCode, rec.body).toBe(201);
    // A scheme of every computable indicator.
    const ind = (await get('city', '/api/assessment/indicators')).json().items as { key: string; suggestedRule: object }[];
    const w = Math.floor(100 / ind.length);
    const scheme = (await get('city', '/api/assessment/schemes/2026')).json();
    const all = {
      version: scheme.version,
      title: '全部可计算指标',
      note: '测试',
      indicators: ind.map((i, n) => ({ key: `k${n}`, name: i.key, weight: n === 0 ? 100 - w * (ind.length - 1) : w, source: { kind: 'computed', indicator: i.key }, rule: i.suggestedRule, ifNoData: 'full' })),
      grades: scheme.grades,
      vetoes: [],
    };
    expect((await send('city', 'PUT', '/api/assessment/schemes/2026', all)).statusCode).toBe(200);
    const made = await send('city', 'POST', '/api/assessment/runs', { schemeYear: 2026, period: '2026Q4' });
    expect(made.statusCode, made.body).toBe(201);
    const run = made.json();
    expect(run).toMatchObject({ period: '2026Q4', periodFrom: '2026-10-01', periodTo: '2026-12-31', number: 1, status: 'draft', asAt: '2026-12-05T02:00:00.000Z' });
    expect(run.units).toHaveLength(16);
    const db = t.database.db;
    const open = ['reported', 'rectifying', 'pending_acceptance'];
    const value = (code: string, key: string) => run.units.find((u: { code: string }) => u.code === code).indicators.find((i: { indicator: string }) => i.indicator === key);
    let linked = 0;
    for (const u of run.units as { code: string; name: string; score: number; indicators: { indicator: string; value: number | null; numerator: number | null; denominator: number | null; link: string | null; points: number; weight: number }[] }[]) {
      const d = u.code;
      const n = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
      const direct: Record<string, number | null> = {
        'hazards.open_major': await n(db.selectFrom('hazards').select((eb) => eb.fn.countAll().as('n')).where('district_code', '=', d).where('grade', '=', 'major').where('status', 'in', open as never).executeTakeFirst()),
        'hazards.overdue_major': await n(db.selectFrom('hazards').select((eb) => eb.fn.countAll().as('n')).where('district_code', '=', d).where('grade', '=', 'major').where('status', 'in', open as never).where('deadline', '<', '2026-12-05').executeTakeFirst()),
        'hazards.stock_to2023': await n(db.selectFrom('hazards').select((eb) => eb.fn.countAll().as('n')).where('district_code', '=', d).where('status', 'in', open as never).where('found_at', '<', Date.parse('2023-12-31T16:00:00.000Z')).executeTakeFirst()),
        'accidents.count': await n(db.selectFrom('accidents').select((eb) => eb.fn.countAll().as('n')).where('district_code', '=', d).where('occurred_at', '>=', '2026-09-30T16:00:00.000Z').where('occurred_at', '<', '2026-12-31T16:00:00.000Z').executeTakeFirst()),
        'accidents.deaths': await n(db.selectFrom('accidents').select((eb) => eb.fn.coalesce(eb.fn.sum('deaths'), sql`0`).as('n')).where('district_code', '=', d).where('occurred_at', '>=', '2026-09-30T16:00:00.000Z').where('occurred_at', '<', '2026-12-31T16:00:00.000Z').executeTakeFirst()),
        'meetings.held': await n(db.selectFrom('meetings').select((eb) => eb.fn.countAll().as('n')).where('unit_kind', '=', 'district').where('unit_key', '=', d).where('qualifies', '=', 1).where('held_on', '>=', '2026-10-01').where('held_on', '<=', '2026-12-31').executeTakeFirst()),
        'accountability.count': await n(db.selectFrom('accountability_records').select((eb) => eb.fn.countAll().as('n')).where('district_code', '=', d).where('on_date', '>=', '2026-10-01').where('on_date', '<=', '2026-12-31').executeTakeFirst()),
      };
      for (const [key, expected] of Object.entries(direct)) expect(value(d, key).value, `${u.name} ${key}`).toBe(expected);
      // Rates: numerator and denominator counted directly.
      const dueMajor = await db.selectFrom('hazards').select(['deadline', 'closed_at', 'status']).where('district_code', '=', d).where('grade', '=', 'major').where('status', '<>', 'voided').where('deadline', '>=', '2026-10-01').where('deadline', '<=', '2026-12-04').execute();
      const onTime = dueMajor.filter((h) => h.status === 'closed' && new Date(h.closed_at! + 8 * 3_600_000).toISOString().slice(0, 10) <= h.deadline!).length;
      expect([value(d, 'hazards.major_on_time_rate').numerator, value(d, 'hazards.major_on_time_rate').denominator], `${u.name} on time`).toEqual([onTime, dueMajor.length]);
      const rounds = await db.selectFrom('selfcheck_rounds').select(['due_date', 'submitted_at']).where('district_code', '=', d).where('due_date', '>=', '2026-10-01').where('due_date', '<=', '2026-12-04').execute();
      const roundsOnTime = rounds.filter((r) => r.submitted_at && new Date(Date.parse(r.submitted_at) + 8 * 3_600_000).toISOString().slice(0, 10) <= r.due_date).length;
      expect([value(d, 'selfchecks.on_time_rate').numerator, value(d, 'selfchecks.on_time_rate').denominator], `${u.name} self-checks`).toEqual([roundsOnTime, rounds.length]);
      const insp = await db.selectFrom('inspections').select(['findings']).where('district_code', '=', d).where('status', '=', 'finished').where('date', '>=', '2026-10-01').where('date', '<=', '2026-12-31').execute();
      expect([value(d, 'enforcement.findings_per_inspection').numerator, value(d, 'enforcement.findings_per_inspection').denominator]).toEqual([insp.reduce((s, r) => s + Number(r.findings), 0), insp.length]);
      const progs = await db.selectFrom('expert_programmes').select(['targets', 'covered']).where('district_code', '=', d).where('department_id', 'is', null).where('period_from', '<=', '2026-12-31').where('period_to', '>=', '2026-10-01').execute();
      expect([value(d, 'experts.coverage').numerator, value(d, 'experts.coverage').denominator], `${u.name} experts`).toEqual([progs.reduce((s, r) => s + Number(r.covered), 0), progs.reduce((s, r) => s + Number(r.targets), 0)]);
      const items = await db.selectFrom('inspection_plan_items as i').innerJoin('inspection_plans as p', 'p.id', 'i.plan_id').select(['i.done', 'i.months_json']).where('p.district_code', '=', d).where('p.year', '=', 2026).where('p.department_id', 'is', null).execute();
      const due = items.map((r) => ({ done: Number(r.done), due: (JSON.parse(r.months_json) as number[]).filter((m) => m <= 12).length }));
      expect([value(d, 'enforcement.plan_completion').numerator, value(d, 'enforcement.plan_completion').denominator], `${u.name} plan`).toEqual([due.reduce((s, r) => s + Math.min(r.done, r.due), 0), due.reduce((s, r) => s + r.due, 0)]);
      const tips = await db.selectFrom('tip_tallies').select(['verified', 'verified_on_time']).where('district_code', '=', d).where('month', '>=', '2026-10').where('month', '<=', '2026-12').execute();
      expect([value(d, 'tips.verified_on_time_rate').numerator, value(d, 'tips.verified_on_time_rate').denominator]).toEqual([tips.reduce((s, r) => s + Number(r.verified_on_time), 0), tips.reduce((s, r) => s + Number(r.verified), 0)]);
      // Every link: its list's total is the value, or a rate's denominator.
      for (const i of u.indicators) {
        if (!i.link) continue;
        const list = await followLink(i.link);
        const deaths = list.items.reduce((s, a) => s + (a.deaths ?? 0), 0);
        const [listed, expected] =
          i.indicator === 'accidents.deaths' ? [deaths, i.value] : i.indicator === 'accidents.deaths_change' ? [deaths, i.numerator] : i.indicator === 'accidents.count_change' ? [list.total, i.numerator] : [list.total, i.denominator ?? i.value];
        expect(listed, `${u.name} ${i.indicator} ${i.link}`).toBe(expected);
        linked++;
      }
      expect(u.score).toBe(Math.round(u.indicators.reduce((s, i) => s + i.points, 0) * 100) / 100);
    }
    expect(linked).toBeGreaterThan(16 * 5);
    // Pudong's accidents against last year: 2 against 1 (+100%), deaths 3 against 1.
    expect(value('310115', 'accidents.count_change')).toMatchObject({ value: 1, numerator: 2, denominator: 1 });
    expect(value('310115', 'accidents.deaths_change')).toMatchObject({ value: 2, numerator: 3, denominator: 1 });
    expect(value('310101', 'accidents.deaths_change')).toMatchObject({ value: -1, numerator: 0, denominator: 2 });
    expect(value('310115', 'hazards.open_major').value).toBeGreaterThan(0);
    // Ranks follow the scores, ties share a rank.
    const scores = run.units.map((u: { score: number }) => u.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const u of run.units) expect(u.rank).toBe(1 + run.units.filter((x: { score: number }) => x.score > u.score).length);
  });

  it('caps the grade by a veto and says why; an entered value with its evidence; a published run does not move when the data does; a re-run shows the difference', async () => {
    clock = Date.parse('2026-12-05T03:00:00Z');
    const scheme = (await get('city', '/api/assessment/schemes/2026')).json();
    const veto = {
      version: scheme.version,
      title: '否决测试方案',
      note: '测试',
      indicators: [
        { key: 'work', name: '重点工作', weight: 80, source: { kind: 'entered' }, rule: { kind: 'linear', zeroAt: 0, fullAt: 100 }, ifNoData: 'zero' },
        { key: 'acc', name: '事故起数', weight: 20, source: { kind: 'computed', indicator: 'accidents.count' }, rule: { kind: 'deduction', perItem: 5 }, ifNoData: 'full' },
      ],
      grades: [{ grade: '优秀', from: 90 }, { grade: '良好', from: 80 }, { grade: '合格', from: 60 }, { grade: '不合格', from: 0 }],
      vetoes: [{ kind: 'accident_at_least', grade: 'larger', cap: '良好' }, { kind: 'concealed_accident', cap: '合格' }],
    };
    expect((await send('city', 'PUT', '/api/assessment/schemes/2026', veto)).statusCode).toBe(200);
    // Minhang (310112): a 较大 accident in November.
    const larger = (await send('city', 'POST', '/api/accidents', accident({ districtCode: '310112', occurredAt: '2026-11-10T01:00:00.000Z', reportedAt: '2026-11-10T01:30:00.000Z', deaths: 3 }))).json();
    expect(larger.grade).toBe('larger');
    const run = (await send('city', 'POST', '/api/assessment/runs', { schemeYear: 2026, period: '2026-11' })).json();
    expect(run.allowed).toEqual(['enter', 'publish', 'rerun']);
    const file = (await t.as(c.city, { method: 'POST', url: '/api/files', ...multipart('file', 'evidence.png', PNG_1x1, 'image/png') })).json().id as string;
    let r = run;
    for (const code of ['310112', '310101']) {
      const e = await send('city', 'PUT', `/api/assessment/runs/${run.id}/entries`, { version: r.version, unitCode: code, key: 'work', value: 100, note: '重点工作全部按时完成', fileIds: code === '310112' ? [file] : [] });
      expect(e.statusCode, e.body).toBe(200);
      r = e.json();
    }
    expect((await send('city', 'PUT', `/api/assessment/runs/${run.id}/entries`, { version: r.version, unitCode: '310112', key: 'acc', value: 1, note: '不能录入计算指标' })).json().errors[0].path).toBe('key');
    expect((await send('city', 'PUT', `/api/assessment/runs/${run.id}/entries`, { version: 1, unitCode: '310112', key: 'work', value: 90, note: '旧版本' })).json().code).toBe('VERSION_CONFLICT');
    expect((await send('pudong', 'PUT', `/api/assessment/runs/${run.id}/entries`, { version: r.version, unitCode: '310115', key: 'work', value: 100, note: '自评满分' })).json().code).toBe('FORBIDDEN');
    const mh = r.units.find((u: { code: string }) => u.code === '310112');
    expect(mh).toMatchObject({ score: 95, scoreGrade: '优秀', grade: '良好' });
    expect(mh.vetoes).toEqual([{ rule: 'accident_at_least', cap: '良好', reason: expect.stringContaining(larger.code) }]);
    expect(mh.indicators.find((i: { key: string }) => i.key === 'work')).toMatchObject({ value: 100, points: 80, note: '重点工作全部按时完成', fileIds: [file] });
    const hp = r.units.find((u: { code: string }) => u.code === '310101');
    expect(hp).toMatchObject({ score: 100, grade: '优秀', vetoes: [], rank: 1 });
    // Districts do not see drafts; the entry's evidence is read by the office.
    expect((await get('pudong', `/api/assessment/runs/${run.id}`)).statusCode).toBe(404);
    expect((await get('pudong', '/api/assessment/runs?period=2026-11')).json().total).toBe(0);
    expect((await get('city', `/api/files/${file}`)).statusCode).toBe(200);
    // Publish: frozen.
    const pub = await send('city', 'POST', `/api/assessment/runs/${run.id}/actions/publish`, { version: r.version });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json()).toMatchObject({ status: 'published', allowed: ['rerun'] });
    const frozen = pub.json().units;
    expect((await get('pudong', `/api/assessment/runs/${run.id}`)).json().units).toEqual(frozen);
    expect((await get('ent-pd', `/api/assessment/runs/${run.id}`)).statusCode).toBe(404);
    expect((await get('ent-pd', '/api/assessment/runs')).json().code).toBe('FORBIDDEN');
    expect((await send('city', 'PUT', `/api/assessment/runs/${run.id}/entries`, { version: pub.json().version, unitCode: '310101', key: 'work', value: 10, note: '发布后更改' })).json().code).toBe('INVALID_TRANSITION');
    // The data moves: a concealed accident in Huangpu in November, and the scheme changes.
    clock = Date.parse('2026-12-05T04:00:00Z');
    const hidden = (await send('huangpu', 'POST', '/api/accidents', accident({ districtCode: '310101', occurredAt: '2026-11-12T01:00:00.000Z', reportedAt: '2026-11-14T01:00:00.000Z', deaths: 1 }))).json();
    expect((await send('huangpu', 'POST', `/api/accidents/${hidden.id}/concealment`, { version: 1, concealment: 'concealed', note: '经举报核实企业瞒报' })).statusCode).toBe(200);
    expect((await get('city', `/api/assessment/runs/${run.id}`)).json().units).toEqual(frozen);
    // A re-run: number 2, Huangpu's entry carried over, its accident counted and its grade capped, the difference shown.
    const again = (await send('city', 'POST', '/api/assessment/runs', { schemeYear: 2026, period: '2026-11' })).json();
    expect(again).toMatchObject({ number: 2, status: 'draft' });
    const hp2 = again.units.find((u: { code: string }) => u.code === '310101');
    expect(hp2).toMatchObject({ score: 95, scoreGrade: '优秀', grade: '合格' });
    expect(hp2.vetoes[0]).toMatchObject({ rule: 'concealed_accident', reason: expect.stringContaining('瞒报') });
    expect(again.diff.againstNumber).toBe(1);
    expect(again.diff.units.find((u: { code: string }) => u.code === '310101')).toMatchObject({ scoreBefore: 100, score: 95, gradeBefore: '优秀', grade: '合格', rankBefore: 1, changed: ['acc'] });
    expect((await get('city', `/api/assessment/runs/${run.id}`)).json().allowed).toEqual([]);
    const pub2 = (await send('city', 'POST', `/api/assessment/runs/${again.id}/actions/publish`, { version: again.version })).json();
    expect(pub2.status).toBe('published');
    expect((await get('city', `/api/assessment/runs/${run.id}`)).json()).toMatchObject({ status: 'superseded', units: frozen });
    // Bad periods.
    for (const [period, year] of [['2026Q5', 2026], ['2026-13', 2026], ['2025Q4', 2026], ['2027Q1', 2027]] as const) expect((await send('city', 'POST', '/api/assessment/runs', { schemeYear: year, period })).json().code, period).toBe('VALIDATION_FAILED');
    expect((await send('pudong', 'POST', '/api/assessment/runs', { schemeYear: 2026, period: '2026-11' })).json().code).toBe('FORBIDDEN');
  });

  it('writes the 季度点评 with the ranking, the named units and the office’s comments', async () => {
    clock = Date.parse('2026-12-05T05:00:00Z');
    expect((await get('city', '/api/reports/quarterly-review.docx?quarter=2026Q4')).json().code).toBe('NOT_FOUND');
    const run = (await send('city', 'POST', '/api/assessment/runs', { schemeYear: 2026, period: '2026Q4' })).json();
    const review = await send('city', 'PUT', '/api/assessment/reviews/2026Q4', { version: 0, overall: '全市重大事故隐患动态清零工作总体平稳。', units: [{ code: '310101', text: '黄浦区存在瞒报事故，须立即整改。' }] });
    expect(review.statusCode, review.body).toBe(200);
    expect((await send('city', 'PUT', '/api/assessment/reviews/2026Q4', { version: 0, overall: '旧版本' })).json().code).toBe('VERSION_CONFLICT');
    expect((await send('pudong', 'PUT', '/api/assessment/reviews/2026Q4', { version: 1, overall: '区里写的' })).json().code).toBe('FORBIDDEN');
    const pub = (await send('city', 'POST', `/api/assessment/runs/${run.id}/actions/publish`, { version: run.version })).json();
    const doc = await get('pudong', '/api/reports/quarterly-review.docx?quarter=2026Q4');
    expect(doc.statusCode, doc.body.slice(0, 200)).toBe(200);
    expect(doc.headers['content-type']).toContain('wordprocessingml');
    const xml = await (await JSZip.loadAsync(doc.rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('2026年第四季度安全生产治本攻坚工作点评');
    expect(text).toContain('全市重大事故隐患动态清零工作总体平稳。');
    expect(text).toContain('点评：黄浦区存在瞒报事故，须立即整改。');
    // The ranking table lists the districts in the run's order.
    const ranking = text.slice(text.indexOf('一、考核排名'), text.indexOf('二、总体点评'));
    const positions = pub.units.map((u: { name: string }) => ranking.indexOf(u.name));
    expect(positions.every((p: number) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('黄浦区：不合格（15分）');
    // Each district's indicators with the change on the quarter before (none published before 2026Q4 here).
    expect(text).toContain('较上季度');
    expect(text).toContain('重大隐患逾期未整改较多');
    for (const k of ['ent-pd', 'expert-1'] as const) expect((await get(k, '/api/reports/quarterly-review.docx?quarter=2026Q4')).json().code, k).toBe('FORBIDDEN');
    expect((await get('city', '/api/reports/quarterly-review.docx?quarter=2026Q9')).json().code).toBe('VALIDATION_FAILED');
  });

  it('records 点名/通报/约谈/移交 with follow-up, each seen only in scope', async () => {
    clock = Date.parse('2026-12-05T06:00:00Z');
    const mine = (await send('pudong', 'POST', '/api/accountability', { kind: 'named', targetKind: 'enterprise', enterpriseId: entPd, reason: '自查走过场，隐患整改不及时', onDate: '2026-12-01', byName: '浦东新区安委办', followUpDue: '2026-12-31' })).json();
    expect(mine).toMatchObject({ targetKind: 'enterprise', districtCode: '310115', status: 'open', overdue: false, allowed: ['follow_up'] });
    expect((await send('pudong', 'POST', '/api/accountability', { kind: 'notice', targetKind: 'enterprise', enterpriseId: entHp, reason: '越权记录他区企业', onDate: '2026-12-01', byName: '浦东新区安委办' })).json().code).toBe('UNKNOWN_ENTERPRISE');
    expect((await send('pudong', 'POST', '/api/accountability', { kind: 'notice', targetKind: 'district', districtCode: '310115', reason: '区对自己通报', onDate: '2026-12-01', byName: '浦东新区安委办' })).json().code).toBe('FORBIDDEN');
    for (const k of ['ent-pd', 'expert-1', 'custodian'] as const) expect((await send(k, 'POST', '/api/accountability', { kind: 'notice', targetKind: 'enterprise', enterpriseId: entPd, reason: '无权记录的角色', onDate: '2026-12-01', byName: '某单位' })).json().code, k).toMatch(/FORBIDDEN|UNKNOWN_ENTERPRISE/);
    const bad = async (over: object, path: string) => expect((await send('city', 'POST', '/api/accountability', { kind: 'referral', targetKind: 'district', districtCode: '310101', reason: '瞒报事故移交纪检监察', onDate: '2026-12-02', byName: '市安委办', ...over })).json().errors?.[0]?.path).toBe(path);
    await bad({ onDate: '2026-12-06' }, 'onDate');
    await bad({ followUpDue: '2026-11-30' }, 'followUpDue');
    await bad({ sourceType: 'accident' }, 'sourceId');
    await bad({ sourceType: 'accident', sourceId: '018f0000-0000-7000-8000-000000000000' }, 'sourceId');
    await bad({ kind: 'warning' }, 'kind');
    const acc = (await get('city', '/api/accidents?districtCode=310101&concealed=true')).json().items[0];
    const ref = (await send('city', 'POST', '/api/accountability', { kind: 'referral', targetKind: 'district', districtCode: '310101', reason: '瞒报事故移交纪检监察', onDate: '2026-12-02', byName: '市安委办', sourceType: 'accident', sourceId: acc.id })).json();
    expect(ref).toMatchObject({ sourceLabel: `事故 ${acc.code}`, status: 'none_required', allowed: [] });
    // Each sees its own.
    const ids = async (k: Who) => (await get(k, '/api/accountability?pageSize=200')).json().items.map((x: { id: string }) => x.id);
    expect(await ids('city')).toEqual(expect.arrayContaining([mine.id, ref.id]));
    expect(await ids('pudong')).toContain(mine.id);
    expect(await ids('pudong')).not.toContain(ref.id);
    expect(await ids('huangpu')).toContain(ref.id);
    expect(await ids('huangpu')).not.toContain(mine.id);
    expect(await ids('ent-pd')).toEqual([mine.id]);
    expect(await ids('ent-hp')).toEqual([]);
    expect(await ids('expert-1')).toEqual([]);
    expect(await ids('custodian')).toEqual([]);
    expect((await get('huangpu', `/api/accountability/${mine.id}`)).statusCode).toBe(404);
    // The enterprise reports its follow-up with evidence; once.
    const file = (await t.as(c['ent-pd'], { method: 'POST', url: '/api/files', ...multipart('file', 'fix.png', PNG_1x1, 'image/png') })).json().id as string;
    expect((await send('ent-pd', 'POST', `/api/accountability/${mine.id}/follow-up`, { version: 1, note: '已组织全员重新自查', fileIds: [] })).json().code).toBe('VALIDATION_FAILED');
    const done = await send('ent-pd', 'POST', `/api/accountability/${mine.id}/follow-up`, { version: 1, note: '已组织全员重新自查并整改', fileIds: [file] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', followUpFileIds: [file], allowed: [] });
    expect((await send('ent-pd', 'POST', `/api/accountability/${mine.id}/follow-up`, { version: 2, note: '再次填报落实情况', fileIds: [file] })).json().code).toBe('INVALID_TRANSITION');
    expect((await get('pudong', `/api/files/${file}`)).statusCode).toBe(200);
    expect((await get('huangpu', `/api/files/${file}`)).statusCode).toBe(404);
    const openOnes = (await get('city', '/api/accountability?open=true&pageSize=200')).json().items;
    expect(openOnes.length).toBeGreaterThan(0);
    expect(openOnes.every((x: { status: string }) => x.status === 'open')).toBe(true);
    // December's run: Huangpu's November accident was found concealed in December, so the veto holds for December too.
    const run = (await send('city', 'POST', '/api/assessment/runs', { schemeYear: 2026, period: '2026-12' })).json();
    expect(run.units).toHaveLength(16);
    expect(run.units.find((u: { code: string }) => u.code === '310101').vetoes.map((v: { rule: string }) => v.rule)).toContain('concealed_accident');
    expect(run.units.find((u: { code: string }) => u.code === '310115').vetoes).toEqual([]);
  });

  it('reads a past period as it stood at its end: no live link for a state the ledger has moved on from, accidents against the whole same period last year', async () => {
    clock = Date.parse('2026-12-05T07:00:00Z');
    // An instant with an offset is the same instant: stored in UTC, in the right period.
    const off = (await send('pudong', 'POST', '/api/accidents', accident({ occurredAt: '2026-09-30T23:30:00+08:00', reportedAt: '2026-10-01T00:10:00+08:00' }))).json();
    expect(off).toMatchObject({ occurredAt: '2026-09-30T15:30:00.000Z', reportedAt: '2026-09-30T16:10:00.000Z', reportedLate: false });
    const ind = (await get('city', '/api/assessment/indicators')).json().items as { key: string; suggestedRule: object }[];
    const scheme = (await get('city', '/api/assessment/schemes/2026')).json();
    const keys = ['hazards.open_major', 'hazards.overdue_major', 'accidents.count', 'accidents.count_change'];
    const body = { version: scheme.version, title: '过去期间', note: '测试', indicators: keys.map((k, n) => ({ key: `k${n}`, name: k, weight: 25, source: { kind: 'computed', indicator: k }, rule: ind.find((i) => i.key === k)!.suggestedRule, ifNoData: 'full' })), grades: scheme.grades, vetoes: [] };
    expect((await send('city', 'PUT', '/api/assessment/schemes/2026', body)).statusCode).toBe(200);
    const q3 = (await send('city', 'POST', '/api/assessment/runs', { schemeYear: 2026, period: '2026Q3' })).json();
    expect(q3.asAt).toBe('2026-09-30T16:00:00.000Z');
    const pd = q3.units.find((u: { code: string }) => u.code === '310115');
    const byKey = (k: string) => pd.indicators.find((i: { indicator: string }) => i.indicator === k);
    expect(byKey('hazards.open_major').link).toBeNull();
    expect(byKey('hazards.overdue_major').link).toBeNull();
    const list = await followLink(byKey('accidents.count').link);
    expect(list.total).toBe(byKey('accidents.count').value);
    expect(list.total).toBeGreaterThan(0);
    const last = (await get('city', '/api/accidents?districtCode=310115&from=2025-07-01&to=2025-09-30&pageSize=200')).json().total;
    expect(byKey('accidents.count_change')).toMatchObject({ numerator: list.total, denominator: last });
  });
});

/** The demo city's accidents and assessment: the story the issue asks for, made through the commands. */
describe.each(DIALECTS)('the demo city’s accidents and assessment on %s', (dialect) => {
  let t: TestApp;
  let city: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60, demoHazards: 400, demoAssessment: true, now: () => new Date('2026-12-05T02:00:00Z') });
    city = await t.login('city');
  }, 300_000);
  afterAll(() => t?.close());
  const get = (url: string) => t.as(city, { method: 'GET', url });

  it('has accidents falling in most districts and rising in one, one 较大, one concealed, published quarterly runs and accountability', async () => {
    const y2025 = (await get('/api/accidents/trends?year=2025')).json();
    const falling = y2025.districts.filter((d: { verdict: string }) => d.verdict === 'falling').length;
    expect(falling).toBeGreaterThanOrEqual(10);
    expect(y2025.districts.find((d: { key: string }) => d.key === '310116').verdict).toBe('rising');
    expect((await get('/api/accidents?grade=larger')).json().total).toBe(1);
    expect((await get('/api/accidents?concealed=true')).json().items).toMatchObject([{ districtCode: '310113', concealment: 'concealed' }]);
    expect((await get('/api/accidents?from=2023-01-01&to=2023-12-31')).json().total).toBeGreaterThan(40);
    expect((await get('/api/assessment/schemes/2025')).json()).toMatchObject({ version: 1, example: false });
    expect((await get('/api/assessment/schemes/2026')).json()).toMatchObject({ version: 0, example: true });
    const runs = (await get('/api/assessment/runs?status=published&pageSize=50')).json();
    expect(runs.items.map((r: { period: string }) => r.period).sort()).toEqual(['2025Q1', '2025Q2', '2025Q3', '2025Q4', '2026Q1', '2026Q2', '2026Q3']);
    const q3 = (await get(`/api/assessment/runs/${runs.items.find((r: { period: string }) => r.period === '2025Q3').id}`)).json();
    expect(q3.units.find((u: { code: string }) => u.code === '310112').vetoes[0]).toMatchObject({ rule: 'accident_at_least', cap: '良好' });
    expect(q3.units.every((u: { indicators: { key: string; value: number | null }[] }) => u.indicators.find((i) => i.key === 'work')!.value !== null)).toBe(true);
    const acc = (await get('/api/accountability?pageSize=50')).json();
    expect(acc.total).toBeGreaterThanOrEqual(4);
    expect(acc.items.map((a: { kind: string }) => a.kind)).toEqual(expect.arrayContaining(['named', 'notice', 'interview', 'referral']));
    expect(acc.items.find((a: { kind: string }) => a.kind === 'interview')).toMatchObject({ status: 'done', sourceType: 'accident' });
    const doc = await get('/api/reports/quarterly-review.docx?quarter=2026Q3');
    expect(doc.statusCode).toBe(200);
    const text = (await (await JSZip.loadAsync(doc.rawPayload)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
    // Against 2026Q2's published run: each district's rank and each indicator's value and points before.
    expect(text).toContain('（上季第');
    expect(text).toMatch(/上季[^，]+，得分[+-]?\d/);
  });
});
