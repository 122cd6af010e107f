/**
 * The demo city's risks and people (#20): a risk list of about 200 items over the 16 districts
 * (mostly LEC, some LS and matrix; the level always computed), most assessed in the 2024 full
 * assessment round, which 13 districts have submitted with their report; open hazards of the items'
 * enterprises linked, so some items are flagged; declared special operations and certificates in
 * Pudong and Huangpu, some expiring within 60 days and one expired (its hazard on the ledger);
 * standardization records with one benchmark. Made through the modules' commands as the accounts;
 * deterministic. Certificates need the field keys (without them, none are made).
 */
import { addDays, shanghaiDate } from '../../shared/dates';
import { actorFromUser } from '../auth/actor';
import type { ActorCtx, Ctx } from '../context';
import type { KeyRing } from '../crypto/sealed';
import { recordCertificate, declareOperations } from '../modules/certificates/registry';
import { recordStandardization } from '../modules/certificates/standardization';
import { storeUpload } from '../modules/files/commands';
import { reportHazard } from '../modules/hazards/commands';
import { createRisk, linkHazards } from '../modules/risks/registry';
import { createRound, submitRound } from '../modules/risks/rounds';
import { centroidsFromGeojson } from './demo-city';
import { mulberry32 } from './demo-hazards';
import { readReference } from './reference';

const TYPES: [string, string][] = [
  ['火灾', '高层建筑火灾风险'],
  ['燃气', '城镇燃气管网泄漏风险'],
  ['危险化学品', '危险化学品储存风险'],
  ['人员密集', '人员密集场所踩踏风险'],
  ['建设施工', '深基坑坍塌风险'],
  ['特种设备', '电梯及起重机械风险'],
  ['有限空间', '有限空间作业中毒窒息风险'],
  ['交通运输', '危险货物道路运输风险'],
  ['厂房仓库', '老旧厂房仓库火灾风险'],
  ['水上交通', '内河航道船舶碰撞风险'],
];
/** LEC inputs from the classic value tables, for each level (D = 360, 180, 90, 18 and neighbours). */
const LEC: Record<'red' | 'orange' | 'yellow' | 'blue', { l: number; e: number; c: number }[]> = {
  red: [{ l: 6, e: 6, c: 15 }, { l: 3, e: 6, c: 40 }, { l: 10, e: 6, c: 7 }],
  orange: [{ l: 3, e: 6, c: 15 }, { l: 6, e: 3, c: 15 }, { l: 1, e: 6, c: 40 }],
  yellow: [{ l: 3, e: 6, c: 7 }, { l: 1, e: 6, c: 15 }, { l: 3, e: 3, c: 15 }],
  blue: [{ l: 1, e: 6, c: 3 }, { l: 0.5, e: 6, c: 7 }, { l: 1, e: 3, c: 7 }],
};

export async function insertDemoRisks(tx: Ctx, keys: KeyRing | null): Promise<{ risks: number; submitted: number; certificates: number }> {
  const city = tx.config.CITY_CODE;
  const nowMs = tx.now().getTime();
  const today = shanghaiDate(tx.now());
  const as = async (username: string, at: number = nowMs): Promise<ActorCtx> => {
    const user = await tx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const when = new Date(Math.min(at, nowMs));
    return { ...tx, actor: await actorFromUser(tx.db, user, 'system'), now: () => when };
  };
  const rand = mulberry32(20240601);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const districts = await tx.db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').where('parent_code', '=', city).orderBy('sort').execute();
  // Items without an enterprise sit near their district's centre (within about 2 km).
  type Geo = { features: { properties: { code?: string; cp?: number[] }; geometry: { type: string; coordinates: unknown } }[] };
  const geo = readReference<Geo>('shanghai-districts.geojson');
  const centre = centroidsFromGeojson(geo);
  // A district without a stated centre (崇明区) takes the mean of its first outline's points.
  for (const f of geo.features) {
    const code = f.properties.code;
    if (!code || centre[code]) continue;
    const ring = (f.geometry.type === 'Polygon' ? (f.geometry.coordinates as number[][][])[0] : (f.geometry.coordinates as number[][][][])[0][0]) ?? [];
    if (ring.length) centre[code] = [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
  }
  const near = (code: string): [number, number] | null => (centre[code] ? [Math.round((centre[code][0] + (rand() - 0.5) * 0.04) * 1e6) / 1e6, Math.round((centre[code][1] + (rand() - 0.5) * 0.04) * 1e6) / 1e6] : null);
  const streets = await tx.db.selectFrom('regions').select(['code', 'name', 'parent_code']).where('level', '=', 'street').execute();

  // The 2024 round, started in January 2024 by the city office.
  const cityAt2024 = await as('city', Date.parse('2024-01-08T02:00:00Z'));
  const round = (await createRound(cityAt2024, { name: '2024年城市安全风险全面评估', from: '2024-01-01', to: '2024-12-31', minItems: 5, needsReport: true })).round;

  let risks = 0;
  for (const [di, d] of districts.entries()) {
    const ents = await tx.db.selectFrom('enterprises').select(['id', 'name', 'street_code', 'lng', 'lat']).where('district_code', '=', d.code).orderBy('id').limit(40).execute();
    const n = 10 + ((di * 5) % 6);
    for (let k = 0; k < n; k++) {
      const r = rand();
      const level = r < 0.07 ? 'red' : r < 0.25 ? 'orange' : r < 0.62 ? 'yellow' : 'blue';
      const [type, what] = TYPES[(di + k) % TYPES.length];
      const ent = ents.length && rand() < 0.75 ? ents[Math.floor(rand() * ents.length)] : null;
      const street = ent?.street_code ? streets.find((s) => s.code === ent.street_code) : pick(streets.filter((s) => s.parent_code === d.code));
      const method = k % 7 === 3 ? 'ls' : k % 7 === 5 ? 'matrix' : 'lec';
      const ls = { red: { l: 4, s: 5 }, orange: { l: 3, s: 5 }, yellow: { l: 3, s: 3 }, blue: { l: 2, s: 2 } }[level];
      const inputs = method === 'lec' ? pick(LEC[level]) : method === 'ls' ? ls : { likelihood: ls.l, severity: ls.s };
      const inRound = k < n - 2;
      const at = inRound ? Date.parse('2024-03-01T02:00:00Z') + Math.floor(rand() * 240) * 86_400_000 : nowMs - Math.floor(rand() * 60) * 86_400_000;
      const made = await createRisk(await as('city', at), {
        name: `${street?.name ?? d.name}${what}`,
        type,
        districtCode: d.code,
        streetCode: street?.code ?? null,
        place: ent ? ent.name : `${d.name}${street?.name ?? ''}`,
        ...(ent?.lng != null && ent.lat != null ? { lng: Number(ent.lng), lat: Number(ent.lat) } : (() => {
          const p = near(d.code);
          return p ? { lng: p[0], lat: p[1] } : {};
        })()),
        enterpriseIds: ent ? [ent.id] : [],
        method,
        inputs,
        measures: [
          { measure: '落实风险分级管控责任，定期巡查', owner: `${d.name}安委办`, deadline: addDays(today, 30 + Math.floor(rand() * 120)) },
          ...(level === 'red' || level === 'orange' ? [{ measure: '制定专项应急预案并组织演练', owner: ent?.name ?? `${street?.name ?? d.name}`, deadline: addDays(today, -10 + Math.floor(rand() * 90)) }] : []),
        ],
        reviewOn: addDays(today, Math.floor(rand() * 300) - 30),
        roundId: inRound ? round.id : null,
      });
      risks++;
      // The enterprise's open hazards linked to its red and orange items (the major ones flag the item).
      if (ent && (level === 'red' || level === 'orange')) {
        const open = await tx.db.selectFrom('hazards').select('id').where('enterprise_id', '=', ent.id).where('status', 'in', ['reported', 'rectifying', 'pending_acceptance']).orderBy('grade', 'desc').limit(3).execute();
        if (open.length) await linkHazards(await as('city'), made.id, { hazardIds: open.map((h) => h.id) });
      }
    }
  }
  // Pudong's red item with an open major hazard, whatever the draw gave: the map's story starts there.
  // A small demo ledger may hold none: one is reported then, as Pudong's office would.
  const aMajorHazard = async () => {
    const e = await tx.db.selectFrom('enterprises').select(['id', 'name', 'address', 'lng', 'lat', 'street_code']).where('district_code', '=', '310115').orderBy('id').limit(1).executeTakeFirst();
    const clause = await tx.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).orderBy('sort').limit(1).executeTakeFirst();
    if (!e || !clause) return undefined;
    const h = await reportHazard(await as('pudong'), { enterpriseId: e.id, description: '危险化学品仓库未按规定设置泄漏报警装置', location: e.address, grade: 'major', clauseIds: [clause.id], source: 'routine_inspection', foundAt: new Date(nowMs - 3 * 86_400_000).toISOString() });
    return { id: h.id, enterprise_id: e.id, name: e.name, lng: e.lng, lat: e.lat, street_code: e.street_code };
  };
  const pdMajor = (await tx.db
    .selectFrom('hazards')
    .innerJoin('enterprises as e', 'e.id', 'hazards.enterprise_id')
    .select(['hazards.id', 'hazards.enterprise_id', 'e.name', 'e.lng', 'e.lat', 'e.street_code'])
    .where('hazards.district_code', '=', '310115')
    .where('hazards.grade', '=', 'major')
    .where('hazards.status', 'in', ['reported', 'rectifying', 'pending_acceptance'])
    .orderBy('hazards.code')
    .limit(1)
    .executeTakeFirst()) ?? (await aMajorHazard());
  if (pdMajor) {
    const item = await createRisk(await as('pudong'), {
      name: '张江高科技园区危险化学品储存风险',
      type: '危险化学品',
      districtCode: '310115',
      streetCode: pdMajor.street_code,
      place: pdMajor.name,
      lng: pdMajor.lng != null ? Number(pdMajor.lng) : 121.6,
      lat: pdMajor.lat != null ? Number(pdMajor.lat) : 31.2,
      enterpriseIds: [pdMajor.enterprise_id],
      method: 'lec',
      inputs: { l: 6, e: 6, c: 15 },
      measures: [{ measure: '重大危险源包保责任落实，每月专项检查', owner: '浦东新区应急管理局', deadline: addDays(today, 30) }],
      reviewOn: addDays(today, 90),
    });
    await linkHazards(await as('pudong'), item.id, { hazardIds: [pdMajor.id] });
    risks++;
  }
  // Thirteen districts have submitted their 2024 part with the report (three have not).
  let submitted = 0;
  for (const d of districts.slice(0, 13)) {
    const at = Date.parse('2024-12-20T02:00:00Z') + submitted * 3_600_000;
    const office = await as('city', at);
    const file = await storeUpload(office, Buffer.from(`%PDF-1.4\n% ${d.name}2024年城市安全风险评估报告（演示）\n`), `${d.name}2024年城市安全风险评估报告.pdf`);
    await submitRound(office, round.id, { districtCode: d.code, reportFileId: file.id, note: `${d.name}评估成果` });
    submitted++;
  }

  // Certificates (needs the field keys): Pudong's and Huangpu's enterprises declare operations; a few certificates expire soon, one has lapsed.
  let certificates = 0;
  if (keys) {
    const people = ['王建国', '李春华', '张卫东', '刘秀英', '陈志强', '杨丽', '赵海峰', '黄晓燕', '周明', '吴桂芳', '徐国庆', '孙红梅'];
    const entOf = async (u: string) => (await tx.db.selectFrom('users').select('enterprise_id').where('username', '=', u).executeTakeFirstOrThrow()).enterprise_id!;
    const entPd = await entOf('ent-pd');
    const entHp = await entOf('ent-hp');
    const others = (await tx.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('id', '<>', entPd).orderBy('id').limit(6).execute()).map((e) => e.id);
    const idOf = (n: number) => {
      const body = `3101151980${String(101 + (n % 28)).padStart(4, '0')}${String(100 + n).slice(-3)}`;
      const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      return body + '10X98765432'[w.reduce((s, x, i) => s + x * Number(body[i]), 0) % 11];
    };
    let serial = 0;
    const record = async (username: string, enterpriseId: string, kind: 'special_operation' | 'principal' | 'safety_manager', operation: string | undefined, validTo: string) => {
      serial++;
      await recordCertificate(await as(username), keys, {
        enterpriseId,
        holderName: people[serial % people.length],
        idNumber: idOf(serial),
        kind,
        operation,
        number: `${kind === 'special_operation' ? 'T' : 'A'}3101${String(2026_0000 + serial)}`,
        issuer: kind === 'special_operation' ? '上海市应急管理局' : '上海市安全生产考核中心',
        validFrom: addDays(validTo, -6 * 365),
        validTo,
      });
      certificates++;
    };
    for (const [username, ent] of [['ent-pd', entPd], ['ent-hp', entHp]] as const) {
      await declareOperations(await as(username), ent, { operations: ['electrical', 'welding'] });
      await record(username, ent, 'special_operation', 'electrical', addDays(today, 400 + serial * 30));
      await record(username, ent, 'special_operation', 'welding', addDays(today, 45));
      await record(username, ent, 'principal', undefined, addDays(today, 800));
      await record(username, ent, 'safety_manager', undefined, addDays(today, 20));
    }
    for (const [i, ent] of others.entries()) {
      await declareOperations(await as('pudong'), ent, { operations: ['welding'] });
      // The last one's welder's certificate ran out a week ago and was not renewed: its hazard is on the ledger.
      await record('pudong', ent, 'special_operation', 'welding', i === others.length - 1 ? addDays(today, -7) : addDays(today, 200 + i * 90));
      await record('pudong', ent, 'principal', undefined, addDays(today, i % 2 ? 50 : 600));
    }
  }

  // Standardization: records for a few enterprises of each district office, one benchmark.
  const pdEnts = await tx.db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').orderBy('id').limit(5).execute();
  for (const [i, e] of pdEnts.entries()) {
    await recordStandardization(await as('pudong'), e.id, {
      level: (['level2', 'level3', 'level3', 'small', 'level1'] as const)[i],
      certificateNo: `AQB-SH-PD-${2024 + (i % 2)}-${String(100 + i)}`,
      issuer: i === 4 ? '上海市应急管理局' : '浦东新区应急管理局',
      validFrom: addDays(today, -200 - i * 150),
      reviewOn: null,
      benchmark: i === 4 ? { reason: '用体系管安全：安全生产标准化一级，双重预防机制与隐患排查治理体系运行规范', since: addDays(today, -100) } : undefined,
    });
  }
  return { risks, submitted, certificates };
}
