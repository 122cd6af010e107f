import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../shared/uscc';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';

let serial = 0;
const uscc = (district: string) => {
  const body = `91${district}MC${String(++serial).padStart(7, '0')}`;
  return body + usccCheckChar(body);
};

/** 培训 (#20) on both databases: coverage per focus year on hand-built populations, hours below the requirement, scope. */
describe.each(DIALECTS)('training on %s', (dialect) => {
  let t: TestApp;
  const who = ['city', 'pudong', 'huangpu', 'yjj', 'ent-pd', 'expert-1', 'custodian'] as const;
  type Who = (typeof who)[number];
  const c = {} as Record<Who, string>;
  const made: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40 });
    for (const k of who) c[k] = await t.login(k);
    // Hand-built populations: gas enterprises (division 45), hospitals tagged 三级医院, a smelter (31) for 2025.
    const ent = async (key: string, district: string, street: string, office: Who, industryCode: string) => {
      const r = await t.as(c[office], { method: 'POST', url: '/api/enterprises', payload: { uscc: uscc(district), name: `上海${key}有限公司`, address: `上海市${key}路1号`, districtCode: district, streetCode: street, industryCode, principalName: `${key}负责人`, safetyManagerName: `${key}安全员` } });
      if (r.statusCode !== 201) throw new Error(r.body);
      made[key] = r.json().id;
    };
    await ent('浦东燃气一', '310115', '310115005', 'pudong', '45');
    await ent('浦东燃气二', '310115', '310115005', 'pudong', '45');
    await ent('黄浦燃气', '310101', '310101002', 'huangpu', '45');
    await ent('浦东医院', '310115', '310115005', 'pudong', '84');
    await ent('黄浦医院', '310101', '310101002', 'huangpu', '84');
    await ent('浦东冶炼', '310115', '310115005', 'pudong', '31');
    for (const [k, office] of [['浦东医院', 'pudong'], ['黄浦医院', 'huangpu']] as const) {
      const r = await t.as(c[office], { method: 'PUT', url: `/api/enterprises/${made[k]}/kinds`, payload: { kinds: ['三级医院'] } });
      if (r.statusCode !== 200) throw new Error(r.body);
    }
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const post = (k: Who, url: string, payload: unknown) => t.as(c[k], { method: 'POST', url, payload: payload as object });
  const course = (over: object = {}) => ({ title: '燃气企业主要负责人专题培训', organiser: '市委党校', mode: 'city_branch', from: '2024-06-10', to: '2024-06-12', hours: 16, focusYear: 2024, industries: ['45'], audience: ['principal'], ...over });

  it('counts each 2024 population per district: target, trained (attended and passed that year), not yet — and lists the not yet', async () => {
    const gas = (await post('city', '/api/courses', course())).json();
    expect(gas.mode).toBe('city_branch');
    // Pudong's first gas principal passed; the second attended as safety manager only (not the population's role); Huangpu's failed.
    const att = await post('city', `/api/courses/${gas.id}/attendance`, {
      entries: [
        { enterpriseId: made['浦东燃气一'], personName: '浦东燃气一负责人', role: 'principal' },
        { enterpriseId: made['浦东燃气二'], personName: '浦东燃气二安全员', role: 'safety_manager' },
        { enterpriseId: made['黄浦燃气'], personName: '黄浦燃气负责人', role: 'principal', passed: false },
        { personName: '市应急管理局 跟班人员', role: 'official', officeName: '市应急管理局' },
      ],
    });
    expect(att.statusCode, att.body).toBe(200);
    expect(att.json()).toMatchObject({ added: 4, alreadyRecorded: 0 });
    // The same again is counted, not doubled.
    expect((await post('city', `/api/courses/${gas.id}/attendance`, { entries: [{ enterpriseId: made['浦东燃气一'], personName: '浦东燃气一负责人', role: 'principal' }] })).json()).toMatchObject({ added: 0, alreadyRecorded: 1 });
    // A hospital's fire-safety person, in another year's course: not 2024's coverage.
    const fire = (await post('city', '/api/courses', course({ title: '医院消防安全责任人培训', from: '2025-01-10', to: '2025-01-10', hours: 4, industries: [], audience: ['fire_safety'] }))).json();
    await post('city', `/api/courses/${fire.id}/attendance`, { entries: [{ enterpriseId: made['浦东医院'], personName: '院长', role: 'fire_safety' }] });

    const cov = (await get('city', '/api/training/coverage?year=2024')).json();
    const gasPop = cov.populations.find((p: { key: string }) => p.key === 'gas');
    const hospital = cov.populations.find((p: { key: string }) => p.key === 'hospital');
    const line = (p: { byDistrict: { districtCode: string; notYet: number }[] }, d: string) => p.byDistrict.find((x) => x.districtCode === d)!;
    // The demo may hold gas enterprises too: compare with direct counts.
    const gasIn = async (d: string) => (await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', d).where('industry_code', '=', '45').execute()).length;
    expect(line(gasPop, '310115')).toMatchObject({ target: await gasIn('310115'), trained: 1 });
    expect(line(gasPop, '310101')).toMatchObject({ target: await gasIn('310101'), trained: 0 });
    expect(gasPop.notYet).toBe(gasPop.target - 1);
    expect(line(hospital, '310115')).toMatchObject({ target: 1, trained: 0, notYet: 1 });
    expect(hospital.target).toBe(2);
    // 2025: the hospital trained that year; the smelter not.
    const cov25 = (await get('city', '/api/training/coverage?year=2025')).json();
    expect(cov25.populations.find((p: { key: string }) => p.key === 'metal_smelting').trained).toBe(0);
    const relic = cov25.populations.find((p: { key: string }) => p.key === 'cultural_relic');
    expect(relic.target).toBe(0);
    // The not-yet list's total is the figure, and it names the untrained.
    const list = (await get('city', '/api/training/untrained?year=2024&population=gas&districtCode=310115&pageSize=200')).json();
    expect(list.total).toBe(line(gasPop, '310115').notYet);
    expect(list.items.map((i: { id: string }) => i.id)).toContain(made['浦东燃气二']);
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(made['浦东燃气一']);
    // A district sees its own.
    const pd = (await get('pudong', '/api/training/coverage?year=2024')).json();
    expect(pd.populations[0].byDistrict.map((d: { districtCode: string }) => d.districtCode)).toEqual(['310115']);
    expect((await get('city', '/api/training/untrained?year=2024&population=nope')).statusCode).toBe(400);
  });

  it('lists principals and safety managers below the hours: initial (32, 48 high-risk) for the never trained, yearly (12, 16) for the rest', async () => {
    const c1 = (await post('city', '/api/courses', course({ title: '2026年度再培训', from: '2026-03-01', to: '2026-03-02', hours: 8, focusYear: null, industries: [], audience: ['principal', 'safety_manager'] }))).json();
    const c2 = (await post('city', '/api/courses', course({ title: '2026年度冶炼专题', from: '2026-04-01', to: '2026-04-02', hours: 12, focusYear: null, industries: ['31'], audience: ['principal'] }))).json();
    await post('city', `/api/courses/${c1.id}/attendance`, { entries: [{ enterpriseId: made['浦东燃气一'], personName: '浦东燃气一负责人', role: 'principal' }, { enterpriseId: made['浦东冶炼'], personName: '浦东冶炼负责人', role: 'principal' }] });
    await post('city', `/api/courses/${c2.id}/attendance`, { entries: [{ enterpriseId: made['浦东燃气一'], personName: '浦东燃气一负责人', role: 'principal', hours: 4 }, { enterpriseId: made['浦东冶炼'], personName: '浦东冶炼负责人', role: 'principal' }] });
    const res = await get('pudong', '/api/training/hours?year=2026&pageSize=200');
    expect(res.statusCode, res.body).toBe(200);
    const all = res.json();
    const of = (name: string, role = 'principal') => all.items.find((i: { personName: string; role: string }) => i.personName === name && i.role === role);
    // The gas principal trained in 2024 (passed): yearly 12, and 8 + 4 = 12 meets it. The smelter's principal was never trained before:
    // initial 48 (high-risk division), 8 + 12 = 20 is short. The safety managers, never trained: initial 32 and 48.
    expect(of('浦东燃气一负责人')).toBeUndefined();
    expect(of('浦东冶炼负责人')).toMatchObject({ hours: 20, required: 48, initial: true, highRisk: true });
    expect(of('浦东燃气一安全员', 'safety_manager')).toMatchObject({ hours: 0, required: 32, initial: true, highRisk: false });
    expect(of('浦东冶炼安全员', 'safety_manager')).toMatchObject({ hours: 0, required: 48, initial: true, highRisk: true });
    expect(all.items.every((i: { districtCode: string; hours: number; required: number }) => i.districtCode === '310115' && i.hours < i.required)).toBe(true);
    expect(all.total).toBe(all.items.length);
  });

  it('keeps courses to their organisers and attendance to its scope', async () => {
    expect((await post('pudong', '/api/courses', course())).statusCode).toBe(403);
    expect((await post('pudong', '/api/courses', course({ mode: 'district_branch', districtCode: '310101' }))).statusCode).toBe(403);
    const branch = await post('pudong', '/api/courses', course({ mode: 'district_branch', districtCode: '310115', title: '浦东分课堂' }));
    expect(branch.statusCode, branch.body).toBe(201);
    expect((await post('yjj', '/api/courses', course({ title: '部门课程' }))).statusCode).toBe(201);
    expect((await post('ent-pd', '/api/courses', course())).statusCode).toBe(403);
    // Pudong cannot sign in Huangpu's people; an enterprise only its own, and no official.
    const id = branch.json().id;
    expect((await post('pudong', `/api/courses/${id}/attendance`, { entries: [{ enterpriseId: made['黄浦燃气'], personName: '某人', role: 'principal' }] })).json().errors[0].path).toBe('entries.0.enterpriseId');
    const entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    // The enterprise does not sign in (or pass) its own people; nobody records more hours than the course has.
    expect((await post('ent-pd', `/api/courses/${id}/attendance`, { entries: [{ enterpriseId: entPd, personName: '本企业负责人', role: 'principal', hours: 500 }] })).statusCode).toBe(403);
    expect((await post('pudong', `/api/courses/${id}/attendance`, { entries: [{ enterpriseId: entPd, personName: '本企业负责人', role: 'principal', hours: 17 }] })).json().errors[0].path).toBe('entries.0.hours');
    expect((await post('pudong', `/api/courses/${id}/attendance`, { entries: [{ enterpriseId: entPd, personName: '本企业负责人', role: 'principal' }] })).statusCode).toBe(200);
    // Each reader sees the attendance of their scope.
    const gasCourse = (await get('city', '/api/courses?year=2024')).json().items.find((x: { title: string }) => x.title === '燃气企业主要负责人专题培训');
    const cityView = (await get('city', `/api/courses/${gasCourse.id}`)).json();
    const hpView = (await get('huangpu', `/api/courses/${gasCourse.id}`)).json();
    const entView = (await get('ent-pd', `/api/courses/${gasCourse.id}`)).json();
    expect(cityView.attendance).toHaveLength(4);
    expect(hpView.attendance.map((a: { personName: string }) => a.personName)).toEqual(['黄浦燃气负责人']);
    expect(entView.attendance).toEqual([]);
    expect((await get('expert-1', '/api/courses')).statusCode).toBe(403);
    expect((await get('custodian', '/api/training/coverage?year=2024')).statusCode).toBe(403);
    // Kinds are the offices' to tag.
    expect((await t.as(c['ent-pd'], { method: 'PUT', url: `/api/enterprises/${entPd}/kinds`, payload: { kinds: ['三级医院'] } })).statusCode).toBe(403);
    expect((await get('ent-pd', `/api/enterprises/${entPd}/kinds`)).json().known).toContain('大型商业综合体');
  });
});
