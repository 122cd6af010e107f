/**
 * The demo city's campaigns, training and consultations (#20): three campaigns (high-rise fire safety
 * over the city, town gas, Pudong's factories and warehouses) with targets checked in part and their
 * findings on the ledger; enterprise kinds tagged (hospitals, a cultural relic unit, commercial
 * complexes) and courses for each year's focus with attendance, so coverage reads part done; two
 * consultations on risk items with decisions as plan tasks (when the plan is loaded). Through the
 * modules' commands as the accounts; deterministic.
 */
import { addDays, shanghaiDate } from '../../shared/dates';
import { actorFromUser } from '../auth/actor';
import type { ActorCtx, Ctx } from '../context';
import { checkTarget, createCampaign, listTargets } from '../modules/campaigns/campaigns';
import { createConsultation } from '../modules/risks/consultations';
import { setEnterpriseKinds } from '../modules/training/coverage';
import { createCourse, recordAttendance } from '../modules/training/courses';
import { mulberry32 } from './demo-hazards';

export async function insertDemoCampaigns(tx: Ctx): Promise<{ campaigns: number; checked: number; courses: number; attendance: number; consultations: number }> {
  const city = tx.config.CITY_CODE;
  const nowMs = tx.now().getTime();
  const today = shanghaiDate(tx.now());
  const as = async (username: string, at: number = nowMs): Promise<ActorCtx> => {
    const user = await tx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const when = new Date(Math.min(at, nowMs));
    return { ...tx, actor: await actorFromUser(tx.db, user, 'system'), now: () => when };
  };
  const rand = mulberry32(20241201);
  const year = Number(today.slice(0, 4));
  const districts = (await tx.db.selectFrom('regions').select('code').where('level', '=', 'district').where('parent_code', '=', city).orderBy('sort').execute()).map((d) => d.code);
  const firstOf = async (district: string, n: number, industries?: string[]) => {
    let q = tx.db.selectFrom('enterprises').select('id').where('district_code', '=', district);
    if (industries) q = q.where('industry_code', 'in', industries);
    return (await q.orderBy('id').limit(n).execute()).map((e) => e.id);
  };

  // 1. Campaigns: this year's, started in spring.
  const start = `${year}-03-01`;
  const end = `${year}-12-31`;
  const cityOffice = await as('city', Date.parse(`${start}T02:00:00Z`));
  const highRise = await createCampaign(cityOffice, {
    topic: 'high_rise_fire',
    title: `${year}年高层建筑消防安全综合整治`,
    from: start,
    to: end,
    checklist: [{ text: '消防车通道、安全出口和疏散通道畅通' }, { text: '自动消防设施完好有效并保持运行' }, { text: '电动自行车不在楼道、安全出口停放充电' }, { text: '消防控制室值班人员持证在岗' }],
    enterpriseIds: (await Promise.all(districts.slice(0, 8).map((d) => firstOf(d, 4)))).flat(),
    places: [{ name: '陆家嘴金融区高层住宅楼群', districtCode: '310115', streetCode: '310115005' }],
    districtCodes: districts,
  });
  const gas = await createCampaign(cityOffice, {
    topic: 'town_gas',
    title: `${year}年城镇燃气安全专项整治`,
    from: start,
    to: end,
    checklist: [{ text: '燃气泄漏报警装置安装并联网' }, { text: '燃气管道、软管无老化破损' }, { text: '瓶装液化气储存使用符合规定' }],
    enterpriseIds: (await Promise.all(districts.slice(0, 6).map((d) => firstOf(d, 3, ['45', '61', '62'])))).flat(),
    places: [],
    districtCodes: districts,
  });
  const pudong = await as('pudong', Date.parse(`${year}-04-01T02:00:00Z`));
  const factories = await createCampaign(pudong, {
    topic: 'factories_warehouses',
    title: `浦东新区${year}年厂房仓库安全专项整治`,
    from: `${year}-04-01`,
    to: end,
    checklist: [{ text: '厂房仓库内无违规住人' }, { text: '物品堆放符合防火间距要求' }, { text: '电气线路规范敷设' }],
    enterpriseIds: await firstOf('310115', 8, ['33', '34', '59']),
    places: [],
  });
  let checked = 0;
  const deadline = addDays(today, 20);
  for (const [k, camp] of [highRise, gas, factories].entries()) {
    const targets = (await listTargets(await as('city'), camp.id, { page: 1, pageSize: 200 })).items;
    for (const t of targets) {
      if (rand() > 0.6) continue;
      const office = t.districtCode === '310115' ? 'pudong' : t.districtCode === '310101' ? 'huangpu' : 'city';
      const failing = t.enterpriseId && rand() < 0.4;
      await checkTarget(await as(office), camp.id, t.id, {
        version: t.version,
        checkedOn: addDays(today, -1 - Math.floor(rand() * 60)),
        by: 'officer',
        results: camp.checklist.map((item, i) => ({ itemId: item.id, ok: !(failing && i === k % camp.checklist.length), note: null })),
        note: null,
        findings: failing ? [{ description: `${camp.checklist[k % camp.checklist.length].text.replace(/畅通|完好有效并保持运行|安装并联网|符合.*$/, '')}不符合要求`, grade: 'general', deadline }] : [],
      });
      checked++;
    }
  }

  // 2. Enterprise kinds and courses for each year's focus, with attendance of part of each population.
  const tag = async (district: string, kinds: string[], n: number, offset: number) => {
    const ids = (await tx.db.selectFrom('enterprises').select('id').where('district_code', '=', district).orderBy('id').limit(n).offset(offset).execute()).map((e) => e.id);
    const office = district === '310115' ? 'pudong' : district === '310101' ? 'huangpu' : 'city';
    for (const id of ids) await setEnterpriseKinds(await as(office), id, { kinds });
    return ids;
  };
  const hospitals = [...(await tag('310115', ['三级医院'], 3, 20)), ...(await tag('310101', ['二级医院'], 2, 20)), ...(await tag('310104', ['三级医院'], 2, 20))];
  const relics = await tag('310101', ['重点文物保护单位'], 2, 25);
  const complexes = [...(await tag('310115', ['大型商业综合体'], 4, 30)), ...(await tag('310101', ['大型商业综合体'], 3, 30)), ...(await tag('310106', ['大型商业综合体'], 2, 30))];
  const principals = async (ids: string[]) => (ids.length ? await tx.db.selectFrom('enterprises').select(['id', 'principal_name']).where('id', 'in', ids).execute() : []);
  const gasEnts = (await tx.db.selectFrom('enterprises').select('id').where('industry_code', '=', '45').orderBy('id').execute()).map((e) => e.id);
  const smelters = (await tx.db.selectFrom('enterprises').select('id').where('industry_code', 'in', ['31', '32']).orderBy('id').execute()).map((e) => e.id);
  let courses = 0;
  let attendance = 0;
  const course = async (y: number, title: string, mode: 'main' | 'city_branch' | 'district_branch', audience: ('principal' | 'fire_safety')[], industries: string[], who: { ids: string[]; role: 'principal' | 'fire_safety'; share: number }) => {
    if (y > year) return;
    const on = `${y}-${y === year ? '03' : '06'}-18`;
    const office = await as('city', Date.parse(`${on}T01:00:00Z`) - 20 * 86_400_000);
    const made = await createCourse(office, { title, organiser: mode === 'main' ? '中央党校（主课堂）' : '上海市委党校', mode, from: on, to: on, hours: 8, focusYear: y, industries, audience, districtCode: null });
    courses++;
    const people = (await principals(who.ids)).filter((_, i) => i < Math.ceil(who.ids.length * who.share));
    const entries = [
      ...people.map((p) => ({ enterpriseId: p.id, personName: who.role === 'principal' ? p.principal_name : `${p.principal_name}（消防安全责任人）`, role: who.role, passed: true })),
      { enterpriseId: null, personName: '市应急管理局 跟班监管人员', role: 'official' as const, officeName: '上海市应急管理局', passed: true },
    ];
    const r = await recordAttendance(await as('city', Date.parse(`${on}T10:00:00Z`)), made.id, { entries });
    attendance += r.added;
  };
  await course(2024, '燃气生产经营单位主要负责人安全教育专题培训', 'main', ['principal'], ['45'], { ids: gasEnts, role: 'principal', share: 0.7 });
  await course(2024, '二级、三级医院消防安全责任人集中培训', 'city_branch', ['fire_safety'], [], { ids: hospitals, role: 'fire_safety', share: 0.6 });
  await course(2025, '金属冶炼生产经营单位主要负责人安全教育专题培训', 'main', ['principal'], ['31', '32'], { ids: smelters, role: 'principal', share: 0.8 });
  await course(2025, '重点文物保护单位消防安全责任人集中培训', 'city_branch', ['fire_safety'], [], { ids: relics, role: 'fire_safety', share: 1 });
  await course(2026, '大型商业综合体消防安全责任人集中培训', 'city_branch', ['fire_safety'], [], { ids: complexes, role: 'fire_safety', share: 0.5 });

  // 3. Consultations on risk items (decisions are plan tasks: only when the plan is loaded).
  let consultations = 0;
  const plan = await tx.db.selectFrom('plans').select('id').where('city_code', '=', city).executeTakeFirst();
  if (plan) {
    const red = await tx.db.selectFrom('risk_items').select(['id', 'district_code']).where('level', '=', 'red').orderBy('code').limit(6).execute();
    if (red.length) {
      await createConsultation(await as('city', nowMs - 40 * 86_400_000), {
        unit: { kind: 'city' },
        heldOn: addDays(today, -40),
        title: '全市城市安全风险评估会商（第三季度）',
        participants: ['市应急管理局', '市消防救援总队', '市住房城乡建设管理委', '市交通委', '市经济信息化委'],
        riskIds: red.map((r) => r.id),
        summary: '重大风险点总体受控；高层建筑消防和城镇燃气风险仍需持续整治，建议纳入下季度综合整治重点。',
        decisions: [
          { title: '将高层建筑自动消防设施检测纳入综合整治检查表', owner: { kind: 'city' }, ownerName: '市消防救援总队', dueOn: addDays(today, 30) },
          { title: '对重大风险点所在街镇开展专项督导', owner: { kind: 'district', code: '310115' }, ownerName: '浦东新区安委办', dueOn: addDays(today, 45) },
        ],
      });
      consultations++;
    }
    const pdRed = await tx.db.selectFrom('risk_items').select('id').where('district_code', '=', '310115').where('level', 'in', ['red', 'orange']).orderBy('code').limit(4).execute();
    if (pdRed.length) {
      await createConsultation(await as('pudong', nowMs - 12 * 86_400_000), {
        heldOn: addDays(today, -12),
        title: '浦东新区安全风险会商',
        participants: ['区应急管理局', '区消防救援支队', '区建设交通委'],
        riskIds: pdRed.map((r) => r.id),
        summary: '张江、陆家嘴区域危险化学品储存和高层建筑火灾风险需加强联合检查。',
        decisions: [{ title: '组织危险化学品储存单位联合检查', ownerName: '区应急管理局', dueOn: addDays(today, 20) }],
      });
      consultations++;
    }
  }
  return { campaigns: 3, checked, courses, attendance, consultations };
}
