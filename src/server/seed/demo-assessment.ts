/**
 * The demo city's accidents and assessment (#19): accidents over 2023 to today falling year on year
 * in most districts and rising in one (金山区), one 较大 accident (闵行区, 2025) and one concealed
 * (宝山区, 2026); the 2025 scheme saved by the city office (2026 keeps the labelled example);
 * published quarterly runs for 2025 and 2026 so far, with the office's entered values and comments;
 * a few accountability records. Made through the modules' own commands as the accounts, at the
 * dates the story needs (never after today); deterministic.
 */
import { shanghaiDate } from '../../shared/dates';
import type { AccidentCategory } from '../../shared/contracts/accidents';
import { actorFromUser } from '../auth/actor';
import type { ActorCtx, Ctx } from '../context';
import { registerAccident, markConcealment } from '../modules/accidents/registry';
import { recordAccountability, followUp } from '../modules/assessment/accountability';
import { putReview } from '../modules/assessment/review';
import { createRun, enterValue, publishRun } from '../modules/assessment/runs';
import { EXAMPLE_SCHEME, putScheme } from '../modules/assessment/schemes';
import { storeUpload } from '../modules/files/commands';
import { mulberry32 } from './demo-hazards';

const CATEGORIES: readonly AccidentCategory[] = ['高处坠落', '高处坠落', '高处坠落', '物体打击', '物体打击', '车辆伤害', '车辆伤害', '机械伤害', '起重伤害', '触电', '坍塌', '中毒和窒息', '火灾', '淹溺', '其它伤害'];
const PLACES = ['在建工地', '厂区车间', '仓库', '物流园区', '装修现场', '地下有限空间', '码头作业区', '商业综合体'];
/** Divisions of GB/T 4754: building, civil works, road transport, warehousing, metal products, general machinery. */
const INDUSTRIES = ['47', '48', '54', '59', '33', '34'];

export async function insertDemoAssessment(tx: Ctx): Promise<{ accidents: number; runs: number; accountability: number }> {
  const city = tx.config.CITY_CODE;
  const nowMs = tx.now().getTime();
  const today = shanghaiDate(tx.now());
  const as = async (username: string, at: number): Promise<ActorCtx> => {
    const user = await tx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
    const when = new Date(Math.min(at, nowMs));
    return { ...tx, actor: await actorFromUser(tx.db, user, 'system'), now: () => when };
  };
  const districts = (await tx.db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'district').where('parent_code', '=', city).orderBy('sort').execute()).map((d) => d.code);
  const rand = mulberry32(20240101);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

  // 1. Accidents: a base rate per district, falling about a sixth a year — rising in 金山区.
  let accidents = 0;
  const startYear = 2023;
  const thisYear = Number(today.slice(0, 4));
  const ids: Record<string, string> = {};
  for (const [i, d] of districts.entries()) {
    const base = 4 + ((i * 7) % 6);
    for (let y = startYear; y <= thisYear; y++) {
      const rising = d === '310116';
      const n = Math.max(1, Math.round(base * (rising ? 1 + 0.3 * (y - startYear) : Math.pow(0.82, y - startYear))));
      for (let k = 0; k < n; k++) {
        const day = Math.floor(rand() * 365);
        const occurred = Date.UTC(y, 0, 1) + day * 86_400_000 + Math.floor(rand() * 10 * 3_600_000);
        if (occurred > nowMs - 86_400_000) continue;
        const late = rand() < 0.08;
        const reported = occurred + (late ? 95 : 15 + Math.floor(rand() * 40)) * 60_000;
        const injured = rand() < 0.2;
        const ctx = await as('city', reported + 10 * 60_000);
        const category = pick(CATEGORIES);
        const a = await registerAccident(ctx, {
          occurredAt: new Date(occurred).toISOString(),
          reportedAt: new Date(reported).toISOString(),
          districtCode: d,
          industryCode: pick(INDUSTRIES),
          place: `${pick(PLACES)}`,
          category,
          fireOrRoad: category === '火灾' || category === '车辆伤害',
          deaths: injured ? 0 : 1,
          missing: 0,
          seriousInjuries: injured ? 1 + Math.floor(rand() * 2) : 0,
          directLossYuan: 200_000 + Math.floor(rand() * 1_500_000),
          narrative: `${category}事故：作业人员违章作业，现场安全管理不到位。`,
        });
        accidents++;
        ids[`${d}|${y}`] ??= a.id;
      }
    }
  }
  // The 较大 accident (闵行区, 2025) and the concealed one (宝山区, this year).
  const larger = await registerAccident(await as('city', Date.parse('2025-08-14T03:00:00Z')), {
    occurredAt: '2025-08-14T01:40:00.000Z',
    reportedAt: '2025-08-14T02:20:00.000Z',
    districtCode: '310112',
    industryCode: '47',
    place: '闵行区某在建商品房项目基坑',
    category: '坍塌',
    fireOrRoad: false,
    deaths: 3,
    missing: 0,
    seriousInjuries: 2,
    directLossYuan: 6_800_000,
    narrative: '基坑支护结构失稳坍塌，3名作业人员被埋压死亡、2人重伤；施工单位未按方案开挖，监测预警未落实。',
  });
  const hiddenAt = Math.min(Date.parse(`${thisYear}-03-09T02:00:00Z`), nowMs - 20 * 86_400_000);
  const hidden = await registerAccident(await as('city', hiddenAt + 3 * 86_400_000), {
    occurredAt: new Date(hiddenAt).toISOString(),
    reportedAt: new Date(hiddenAt + 3 * 86_400_000).toISOString(),
    districtCode: '310113',
    industryCode: '33',
    place: '宝山区某金属制品厂冲压车间',
    category: '机械伤害',
    fireOrRoad: false,
    deaths: 1,
    missing: 0,
    seriousInjuries: 0,
    directLossYuan: 900_000,
    narrative: '冲压作业人员被压伤致死，企业未按规定报告，经群众举报后核实。',
  });
  await markConcealment(await as('city', hiddenAt + 4 * 86_400_000), hidden.id, { version: 1, concealment: 'concealed', note: '企业隐瞒不报，经举报核查属实。' });
  accidents += 2;

  // 2. The 2025 scheme, as the city office set it at the start of that year.
  const office = await as('city', Date.parse('2025-01-10T02:00:00Z'));
  await putScheme(office, 2025, { version: 0, ...EXAMPLE_SCHEME, title: '2025年度区安全生产治本攻坚考核方案（演示）', note: '演示数据：按示例方案设定，并非上海市的正式考核办法。' });

  // 3. Quarterly runs, each published a fortnight after its quarter, with the office's entered values.
  let runs = 0;
  const quarters: string[] = [];
  for (let y = 2025; y <= thisYear; y++) for (let q = 1; q <= 4; q++) quarters.push(`${y}Q${q}`);
  let lastRun: Awaited<ReturnType<typeof createRun>> | null = null;
  for (const period of quarters) {
    const endMonth = Number(period.slice(5)) * 3;
    const publishAt = Date.UTC(Number(period.slice(0, 4)), endMonth, 15, 2);
    if (publishAt > nowMs) break;
    const ctx = await as('city', publishAt);
    let run = await createRun(ctx, { schemeYear: Number(period.slice(0, 4)), period });
    for (const [i, d] of districts.entries()) {
      if (!run.allowed.includes('enter')) break;
      run = await enterValue(ctx, run.id, { version: run.version, unitCode: d, key: 'work', value: 70 + ((i * 13 + runs * 7) % 31), note: '考核办按重点工作推进情况评定', fileIds: [] });
    }
    lastRun = await publishRun(ctx, run.id, run.version);
    runs++;
  }
  if (lastRun) {
    const q = lastRun.period;
    const ctx = await as('city', Date.parse(lastRun.publishedAt ?? lastRun.computedAt));
    const worst = lastRun.units.at(-1)!;
    await putReview(ctx, q, {
      version: 0,
      overall: `${q.slice(0, 4)}年第${'一二三四'[Number(q.slice(5)) - 1]}季度，各区持续推进重大事故隐患动态清零，全市事故起数和死亡人数总体下降。\n部分区重大隐患整改不及时、存量隐患清零进度滞后，须加快推进。`,
      units: [{ code: worst.code, text: `${worst.name}本季度得分末位，请对照指标逐项整改，下季度考核前报送整改情况。` }],
    });
    // 4. Accountability: the last-ranked district notified, with follow-up; the 较大 accident's district interviewed.
    await recordAccountability(ctx, { kind: 'notice', targetKind: 'district', districtCode: worst.code, reason: `${q}考核得分末位（${worst.score}分），予以通报`, sourceType: 'assessment_run', sourceId: lastRun.id, onDate: shanghaiDate(ctx.now()), byName: '市安委办', followUpDue: shanghaiDate(new Date(ctx.now().getTime() + 30 * 86_400_000)) });
  }
  const interview = await as('city', Date.parse('2025-08-20T02:00:00Z'));
  await recordAccountability(interview, { kind: 'interview', targetKind: 'district', districtCode: '310112', reason: '发生较大生产安全事故（基坑坍塌，3人死亡），约谈区政府分管负责人', sourceType: 'accident', sourceId: larger.id, onDate: '2025-08-20', byName: '市安委办', followUpDue: '2025-09-30' });
  const referral = await as('city', hiddenAt + 6 * 86_400_000);
  await recordAccountability(referral, { kind: 'referral', targetKind: 'district', districtCode: '310113', reason: '企业瞒报生产安全事故，移交纪检监察机关', sourceType: 'accident', sourceId: hidden.id, onDate: shanghaiDate(referral.now()), byName: '市安委办' });
  const ent = await tx.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirst();
  let accountability = 3;
  if (ent?.enterprise_id) {
    const pd = await as('pudong', nowMs - 10 * 86_400_000);
    await recordAccountability(pd, { kind: 'named', targetKind: 'enterprise', enterpriseId: ent.enterprise_id, reason: '企业自查走过场，重大隐患整改不及时', onDate: shanghaiDate(pd.now()), byName: '浦东新区安委办', followUpDue: shanghaiDate(new Date(nowMs + 20 * 86_400_000)) });
    accountability++;
  }
  // The interview's follow-up came back in time.
  const minhang = await tx.db.selectFrom('accountability_records').select(['id', 'version']).where('district_code', '=', '310112').where('kind', '=', 'interview').executeTakeFirst();
  if (minhang) {
    const officeLater = await as('city', Date.parse('2025-09-25T02:00:00Z'));
    const file = await demoEvidence(officeLater);
    await followUp(officeLater, minhang.id, { version: Number(minhang.version), note: '区政府已组织全区深基坑工程专项排查，整改报告已报送。', fileIds: [file] });
  }
  return { accidents, runs, accountability };
}

/** A small evidence file uploaded by the acting user (a PNG), for the follow-up. */
async function demoEvidence(ctx: ActorCtx): Promise<string> {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
  return (await storeUpload(ctx, png, 'follow-up.png')).id;
}
