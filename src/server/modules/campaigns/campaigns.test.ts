import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';

/** 综合整治 (#20) and 会商 on both databases: targets and checks, findings onto the ledger, progress equal to its rows and the ledger, scope. */
describe.each(DIALECTS)('campaigns and consultations on %s', (dialect) => {
  let t: TestApp;
  const who = ['city', 'pudong', 'huangpu', 'lujiazui', 'inspector-pd', 'ent-pd', 'ent-hp', 'expert-1', 'custodian'] as const;
  type Who = (typeof who)[number];
  const c = {} as Record<Who, string>;
  let entPd: string;
  let entHp: string;
  let pdOthers: string[];
  let campaign: { id: string; checklist: { id: string }[] };

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40, demoTasks: true });
    for (const k of who) c[k] = await t.login(k);
    const ent = async (u: string) => (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', u).executeTakeFirstOrThrow()).enterprise_id!;
    entPd = await ent('ent-pd');
    entHp = await ent('ent-hp');
    pdOthers = (await t.database.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('id', '<>', entPd).orderBy('id').limit(3).execute()).map((e) => e.id);
  });
  afterAll(() => t?.close());

  const get = (k: Who, url: string) => t.as(c[k], { method: 'GET', url });
  const post = (k: Who, url: string, payload: unknown) => t.as(c[k], { method: 'POST', url, payload: payload as object });
  const today = new Date().toISOString().slice(0, 10);
  const check = (over: object = {}) => ({ version: 1, checkedOn: today, by: 'officer', results: [{ itemId: campaign.checklist[0].id, ok: false, note: '消防通道堵塞' }], findings: [], ...over });

  it('sets up a campaign with its targets; only the offices of its districts may', async () => {
    expect((await post('pudong', '/api/campaigns', { topic: 'high_rise_fire', title: '高层建筑消防安全综合整治', from: '2026-01-01', to: '2026-12-31', districtCodes: ['310115', '310101'], checklist: [{ text: '消防通道' }] })).statusCode).toBe(403);
    expect((await post('ent-pd', '/api/campaigns', { topic: 'town_gas', title: '城镇燃气安全专项整治', from: '2026-01-01', to: '2026-12-31', checklist: [{ text: '燃气报警' }] })).statusCode).toBe(403);
    const made = await post('city', '/api/campaigns', {
      topic: 'high_rise_fire',
      title: '高层建筑消防安全综合整治',
      from: '2026-01-01',
      to: '2026-12-31',
      districtCodes: ['310115', '310101'],
      checklist: [{ text: '消防通道、安全出口畅通' }, { text: '自动消防设施完好有效' }, { text: '电动自行车不在楼道充电' }],
      enterpriseIds: [entPd, ...pdOthers, entHp],
      places: [{ name: '陆家嘴某高层住宅小区', districtCode: '310115', streetCode: '310115005' }],
    });
    expect(made.statusCode, made.body).toBe(201);
    campaign = made.json();
    expect(made.json()).toMatchObject({ topic: 'high_rise_fire', targets: 6, checked: 0, hazards: 0, state: 'running', mayManage: true });
    expect(made.json().checklist).toHaveLength(3);
    // Added again: counted once.
    expect((await post('city', `/api/campaigns/${campaign.id}/targets`, { enterpriseIds: [entPd] })).json()).toEqual({ added: 0, already: 1 });
    // A district's office adds in its own district only.
    const outside = (await t.database.db.selectFrom('enterprises').select('id').where('district_code', 'not in', ['310115', '310101']).limit(1).executeTakeFirstOrThrow()).id;
    expect((await post('city', `/api/campaigns/${campaign.id}/targets`, { enterpriseIds: [outside] })).json().errors[0].path).toBe('enterpriseIds.0');
    expect((await post('pudong', `/api/campaigns/${campaign.id}/targets`, { places: [{ name: '外滩某大楼', districtCode: '310101' }] })).json().errors[0].path).toBe('places.0.districtCode');
  });

  it('records each target’s check once; findings go onto the ledger with the target as origin; progress equals the rows and the ledger', async () => {
    const targets = (await get('pudong', `/api/campaigns/${campaign.id}/targets?pageSize=100`)).json();
    expect(targets.total).toBe(5);
    const of = (id: string | null) => targets.items.find((x: { enterpriseId: string | null }) => x.enterpriseId === id);
    const clause = (await get('pudong', '/api/standards/gongmao-2023')).json().clauses.find((x: { isLeadIn: boolean }) => !x.isLeadIn).id;
    // Officers check ent-pd: one major finding, one general with a deadline.
    const deadline = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const a = await post('inspector-pd', `/api/campaigns/${campaign.id}/targets/${of(entPd).id}/check`, check({ findings: [{ description: '高层厂房自动喷水灭火系统停用', grade: 'major', clauseIds: [clause], itemId: campaign.checklist[1].id }, { description: '疏散通道堆放杂物', grade: 'general', deadline }] }));
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ status: 'checked', checkedBy: 'officer', version: 2 });
    expect(a.json().findings).toHaveLength(2);
    const h = (await get('pudong', `/api/hazards/${a.json().findings[0].hazardId}`)).json();
    expect(h).toMatchObject({ source: 'enforcement_inspection', origin: { type: 'campaign_target', id: of(entPd).id, parentId: campaign.id } });
    // Once only; a stale version; a self-check by another enterprise refused.
    expect((await post('pudong', `/api/campaigns/${campaign.id}/targets/${of(entPd).id}/check`, check({ version: 2 }))).json().code).toBe('INVALID_TRANSITION');
    expect((await post('pudong', `/api/campaigns/${campaign.id}/targets/${of(pdOthers[0]).id}/check`, check({ version: 7 }))).json().code).toBe('VERSION_CONFLICT');
    expect((await post('ent-pd', `/api/campaigns/${campaign.id}/targets/${of(pdOthers[0]).id}/check`, check({ by: 'self_check' }))).statusCode).toBe(404);
    expect((await post('ent-pd', `/api/campaigns/${campaign.id}/targets/${of(pdOthers[0]).id}/check`, check({ by: 'officer' }))).statusCode).toBe(404);
    // A self-check by the enterprise itself, one general finding (source 企业自查).
    const self = pdOthers[0];
    await t.database.db.updateTable('users').set({ enterprise_id: self }).where('username', '=', 'ent-pd').execute();
    const entSelf = await t.login('ent-pd');
    const s = await t.as(entSelf, { method: 'POST', url: `/api/campaigns/${campaign.id}/targets/${of(self).id}/check`, payload: check({ by: 'self_check', findings: [{ description: '楼道内电动自行车充电', grade: 'general', deadline }] }) });
    await t.database.db.updateTable('users').set({ enterprise_id: entPd }).where('username', '=', 'ent-pd').execute();
    expect(s.statusCode, s.body).toBe(200);
    expect((await get('pudong', `/api/hazards/${s.json().findings[0].hazardId}`)).json().source).toBe('self_check');
    // A place: checked without findings (not an enterprise; findings refused).
    expect((await post('lujiazui', `/api/campaigns/${campaign.id}/targets/${of(null).id}/check`, check({ findings: [{ description: '小区消防车道被占用', grade: 'general' }] }))).json().errors[0].path).toBe('findings');
    expect((await post('lujiazui', `/api/campaigns/${campaign.id}/targets/${of(null).id}/check`, check())).statusCode).toBe(200);
    // Close the general finding on the spot? It was given a deadline: rectify and accept it.
    const g = a.json().findings[1].hazardId;
    const gv = (await get('pudong', `/api/hazards/${g}`)).json();
    const sub = await post('ent-pd', `/api/hazards/${g}/actions/submit`, { version: gv.version, note: '已清理杂物', attachmentIds: [await upload()] });
    expect(sub.statusCode, sub.body).toBe(200);
    expect((await post('pudong', `/api/hazards/${g}/actions/accept`, { version: sub.json().version, note: '复查合格' })).statusCode).toBe(200);

    // Progress equals its rows and the ledger's hazards of the campaign.
    const p = (await get('city', `/api/campaigns/${campaign.id}/progress`)).json();
    const pd = p.byDistrict.find((d: { districtCode: string }) => d.districtCode === '310115');
    const hp = p.byDistrict.find((d: { districtCode: string }) => d.districtCode === '310101');
    const rows = await t.database.db.selectFrom('campaign_targets').select(['district_code', 'status', 'id']).where('campaign_id', '=', campaign.id).execute();
    const ledger = await t.database.db.selectFrom('hazard_origins as o').innerJoin('hazards as h', 'h.id', 'o.hazard_id').innerJoin('campaign_targets as ct', 'ct.id', 'o.origin_id').select(['ct.district_code', 'h.grade', 'h.status']).where('o.origin_type', '=', 'campaign_target').where('ct.campaign_id', '=', campaign.id).execute();
    for (const [d, line] of [['310115', pd], ['310101', hp]] as const) {
      const r = rows.filter((x) => x.district_code === d);
      const l = ledger.filter((x) => x.district_code === d);
      expect(line).toMatchObject({ targets: r.length, checked: r.filter((x) => x.status === 'checked').length, hazards: l.length, major: l.filter((x) => x.grade === 'major').length, closed: l.filter((x) => x.status === 'closed').length, open: l.filter((x) => !['closed', 'voided'].includes(x.status)).length });
    }
    expect(pd).toMatchObject({ targets: 5, checked: 3, hazards: 3, major: 1, closed: 1, open: 2 });
    expect(hp).toMatchObject({ targets: 1, checked: 0, hazards: 0 });
    expect(p.totals).toMatchObject({ targets: 6, checked: 3, hazards: 3 });
    // Each reader's scope: Huangpu sees its line and its target; the enterprise its own target only; the expert and custodian nothing.
    expect((await get('huangpu', `/api/campaigns/${campaign.id}/progress`)).json().byDistrict.map((d: { districtCode: string }) => d.districtCode)).toEqual(['310101']);
    const mine = (await get('ent-pd', `/api/campaigns/${campaign.id}/targets`)).json();
    expect(mine.items.map((x: { enterpriseId: string }) => x.enterpriseId)).toEqual([entPd]);
    expect((await get('ent-hp', `/api/campaigns/${campaign.id}/targets`)).json().items.map((x: { enterpriseId: string }) => x.enterpriseId)).toEqual([entHp]);
    expect((await get('expert-1', `/api/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect((await get('custodian', '/api/campaigns')).json().total).toBe(0);
    // An enterprise lists only the campaigns it is a target of.
    const other = await post('city', '/api/campaigns', { topic: 'town_gas', title: '城镇燃气安全专项整治（不含浦东企业）', from: '2026-01-01', to: '2026-12-31', districtCodes: ['310115'], checklist: [{ text: '燃气报警装置' }], places: [{ name: '某菜市场', districtCode: '310115' }] });
    expect(other.statusCode, other.body).toBe(201);
    expect((await get('ent-pd', '/api/campaigns')).json().items.map((x: { id: string }) => x.id)).toEqual([campaign.id]);
    expect((await get('ent-pd', `/api/campaigns/${other.json().id}`)).statusCode).toBe(404);
    expect((await get('city', '/api/campaigns')).json().items.find((x: { id: string }) => x.id === campaign.id)).toMatchObject({ targets: 6, checked: 3, hazards: 3 });
  });

  async function upload(): Promise<string> {
    const { multipart, PNG_1x1 } = await import('../../test/harness');
    const mp = multipart('file', 'fix.png', PNG_1x1, 'image/png');
    return (await t.as(c['ent-pd'], { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json().id;
  }

  it('records a consultation on risk items; its decisions are plan tasks with owner and deadline', async () => {
    const risk = (await post('pudong', '/api/risks', { name: '浦东高层建筑群火灾风险', type: '火灾', districtCode: '310115', method: 'lec', inputs: { l: 6, e: 6, c: 15 } })).json();
    const hpRisk = (await post('huangpu', '/api/risks', { name: '外滩人员密集风险', type: '人员密集', districtCode: '310101', method: 'ls', inputs: { l: 4, s: 5 } })).json();
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    // Pudong cannot name Huangpu's item.
    expect((await post('pudong', '/api/consultations', { heldOn: today, title: '区风险会商', participants: ['区应急管理局'], riskIds: [hpRisk.id], summary: '会商意见' })).json().errors[0].path).toBe('riskIds.0');
    const made = await post('pudong', '/api/consultations', { heldOn: today, title: '浦东新区第四季度安全风险会商', participants: ['区应急管理局', '区消防救援支队', '区建设交通委'], riskIds: [risk.id], summary: '高层建筑火灾风险仍为重大，需加强消防设施维护。', decisions: [{ title: '完成高层建筑自动消防设施专项检测', ownerName: '区消防救援支队', dueOn: due }] });
    expect(made.statusCode, made.body).toBe(201);
    const m = made.json();
    expect(m).toMatchObject({ unit: { kind: 'district', code: '310115' }, risks: [{ id: risk.id, level: 'red' }] });
    expect(m.decisions).toHaveLength(1);
    expect(m.decisions[0]).toMatchObject({ dueOn: due, owner: { kind: 'district', code: '310115' } });
    const task = (await get('pudong', `/api/plan-tasks/${m.decisions[0].taskId}`));
    expect(task.statusCode, task.body).toBe(200);
    expect(task.json()).toMatchObject({ originType: 'consultation', originId: m.id, dueOn: due });
    expect((await get('pudong', '/api/plan-tasks?origin=consultation&pageSize=50')).json().items.map((x: { id: string }) => x.id)).toContain(m.decisions[0].taskId);
    expect((await get('pudong', `/api/consultations?riskId=${risk.id}`)).json().items.map((x: { id: string }) => x.id)).toEqual([m.id]);
    expect((await get('huangpu', '/api/consultations')).json().items.map((x: { id: string }) => x.id)).not.toContain(m.id);
    expect((await post('huangpu', '/api/consultations', { unit: { kind: 'district', code: '310115' }, heldOn: today, title: '代记', participants: ['x'], summary: '代为记录' })).statusCode).toBe(403);
    expect((await post('pudong', '/api/consultations', { heldOn: '2099-01-01', title: '未来', participants: ['x'], summary: '未来的会商' })).json().errors[0].path).toBe('heldOn');
  });
});
