/**
 * The demo city's tips (#17, measure 24): a hundred-odd over the last two years, by every channel and
 * with every outcome — declined, not substantiated, substantiated with the ledger's tip hazards as
 * what verification found (up to 60, spread over the two years), awaiting acceptance (a few overdue), being verified (one extension asked,
 * one granted), verified with feedback due — a few rewards (proposed, approved and claimed, paid) and
 * one duplicate pair about the same enterprise. Named reporters are sealed with the installation's
 * keys (no keys given: every demo tip is anonymous). The figures are built from the rows at the end.
 * Demo texts are invented.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { TipCategory, TipChannel, TipStatus } from '../../shared/contracts/tips';
import { addDays, shanghaiDate } from '../../shared/dates';
import { seal, type KeyRing } from '../crypto/sealed';
import { insertMany, type DialectName } from '../db/dialect';
import type { DB, HazardOriginsTable, RecordEventsTable, TipsTable } from '../db/schema';
import { hashSecret } from '../modules/tips/intake';
import { routeDepartment } from '../modules/tips/routing';
import { computeReward, TIP_REWARDS } from '../modules/tips/rules';
import { rebuildTipTallies } from '../modules/tips/tallies';
import { recordCodeSeqs, saveRecordCodeSeqs, seqRows } from '../records/records';
import { mulberry32, withIsoFoundAt } from './demo-hazards';

const TEXTS: Record<TipCategory, string[]> = {
  major_hazard: [
    '车间有限空间作业前没有通风检测，也没有人在外面监护',
    '仓库消防通道堆满货物，安全出口被锁住',
    '液化气钢瓶和杂物混放在厨房后面，没有报警装置',
    '粉尘车间的除尘设备长期不开，电气也不是防爆的',
    '叉车司机没有证件就上岗，厂区内经常超速',
    '危化品仓库的温度计和泄漏报警器都坏了没人修',
  ],
  illegal_production: [
    '没有取得许可证就在民房里生产烟花爆竹配件',
    '晚上偷偷开工生产，白天锁门应付检查',
    '无证经营危险化学品，在出租屋里分装甲醇',
    '停产整顿期间仍然在生产',
  ],
  concealed_accident: ['上个月有工人从脚手架上摔下来受重伤，企业没有上报', '厂里发生过一次火灾，烧伤了两个人，企业私下处理了'],
  other: ['工人没有经过安全培训就上岗操作冲床', '安全管理人员长期不在岗，安全制度只挂在墙上', '施工现场没有设置围挡和警示标志'],
};

const CHANNELS: TipChannel[] = ['web', 'web', 'web', 'web', 'web', 'phone', 'phone', 'hotline_12345', 'hotline_12345', 'letter', 'visit'];
const CATEGORIES: TipCategory[] = ['major_hazard', 'major_hazard', 'major_hazard', 'illegal_production', 'illegal_production', 'concealed_accident', 'other', 'other'];
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚'];

export async function insertDemoTips(db: Kysely<DB>, dialect: DialectName, opts: { now: Date; cityCode: string; keys?: KeyRing | null }): Promise<{ tips: number; rewards: number }> {
  const rand = mulberry32(20_240_624);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const today = shanghaiDate(opts.now);
  const nowMs = opts.now.getTime();
  const enterprises = await db.selectFrom('enterprises').select(['id', 'name', 'city_code', 'district_code', 'street_code', 'industry_code']).where('city_code', '=', opts.cityCode).orderBy('id').execute();
  if (!enterprises.length) return { tips: 0, rewards: 0 };
  const byId = new Map(enterprises.map((e) => [e.id, e]));
  // What verification found: the ledger's tip hazards of the last two years (up to 60), one tip each.
  const since = nowMs - 700 * 86_400_000;
  const ledger = withIsoFoundAt(await db.selectFrom('hazards').select(['id', 'enterprise_id', 'found_at', 'grade', 'description']).where('source', '=', 'tip').where('found_at', '>=', since).where('city_code', '=', opts.cityCode).where('id', 'not in', (eb) => eb.selectFrom('hazard_origins').select('hazard_id')).orderBy('found_at').orderBy('id').execute());
  // Spread over the two years: every k-th, so each month has some.
  const every = Math.max(1, Math.floor(ledger.length / 60));
  const found = ledger.filter((_, k) => k % every === 0).slice(0, 60);
  const seqs = await recordCodeSeqs(db, 'JB');
  const tips: TipsTable[] = [];
  const events: RecordEventsTable[] = [];
  const origins: HazardOriginsTable[] = [];
  const sealed: { tip_id: string; field: 'identity' | 'claim'; key_id: string; sealed: string; created_at: string }[] = [];
  const event = (tip: TipsTable, action: string, at: string, actor: string, comment: string | null = null, data: object | null = null) =>
    events.push({ id: uuidv7(), entity_type: 'tip', entity_id: tip.id, seq: events.filter((e) => e.entity_id === tip.id).length + 1, action, actor_id: null, actor_name: actor, at, comment, data_json: data ? JSON.stringify(data) : null, file_ids_json: null });
  const randomCode = (n: number) => Array.from(randomBytes(n), (x) => ALPHABET[x % ALPHABET.length]).join('');
  const iso = (ms: number) => new Date(Math.min(ms, nowMs - 60_000)).toISOString();

  type Plan = { at: number; enterpriseId: string | null; category: TipCategory; outcome: TipStatus | 'declined_late' | 'substantiated' | 'unsubstantiated'; hazard?: (typeof found)[number]; text?: string; named?: boolean };
  const plans: Plan[] = [];
  // Substantiated, each with the ledger's hazard it led to (received a week or two before it was found).
  for (const h of found) plans.push({ at: Date.parse(h.found_at) - (7 + Math.floor(rand() * 7)) * 86_400_000, enterpriseId: h.enterprise_id, category: h.grade === 'major' ? 'major_hazard' : pick(CATEGORIES.filter((c) => c !== 'concealed_accident')), outcome: 'substantiated', hazard: h });
  // Closed without hazards: declined, not substantiated; and the open ones of the last weeks.
  for (let k = 0; k < 45; k++) plans.push({ at: nowMs - (30 + rand() * 660) * 86_400_000, enterpriseId: rand() < 0.75 ? pick(enterprises).id : null, category: pick(CATEGORIES), outcome: k % 3 === 0 ? 'declined' : 'unsubstantiated' });
  for (let k = 0; k < 14; k++) {
    const outcome: TipStatus = k < 5 ? 'received' : k < 11 ? 'accepted' : 'verified';
    // Received ones spread over the last 12 days: those older than 7 are overdue.
    const daysAgo = outcome === 'received' ? 1 + k * 2.5 : outcome === 'accepted' ? 10 + k * 6 : 20 + k;
    plans.push({ at: nowMs - daysAgo * 86_400_000, enterpriseId: pick(enterprises).id, category: pick(CATEGORIES), outcome });
  }
  plans.sort((a, b) => a.at - b.at);
  // One duplicate pair about the same enterprise, the second three days after the first.
  const first = plans.find((p) => p.outcome === 'substantiated' && p.enterpriseId && p.at < nowMs - 200 * 86_400_000);
  if (first) {
    first.text = '该企业在没有危险化学品经营许可证的情况下储存和销售甲醇';
    plans.push({ at: first.at + 3 * 86_400_000, enterpriseId: first.enterpriseId, category: first.category, outcome: 'unsubstantiated', text: '这家企业没有危险化学品经营许可证，却在储存、销售甲醇' });
  }
  plans.sort((a, b) => a.at - b.at);

  let extensions = 0;
  let firstId: string | null = null;
  for (const [k, p] of plans.entries()) {
    const ent = p.enterpriseId ? byId.get(p.enterpriseId)! : null;
    const district = ent?.district_code ?? pick(['310115', '310101', '310104', '310112', '310110']);
    const receivedAt = iso(p.at);
    const received = shanghaiDate(new Date(receivedAt));
    const year = Number(received.slice(0, 4));
    const key = `${district}|${year}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    const id = uuidv7();
    const channel = pick(CHANNELS);
    const named = opts.keys ? rand() < 0.35 : false;
    const t: TipsTable = {
      id,
      code: `JB-${district}-${year}-${String(seq).padStart(6, '0')}`,
      receipt: randomCode(12),
      secret_hash: hashSecret(createHash('sha256').update(randomBytes(16)).digest('hex').slice(0, 16)),
      city_code: opts.cityCode,
      district_code: district,
      street_code: ent?.street_code ?? null,
      industry_code: ent?.industry_code ?? null,
      department_id: ent ? await routeDepartment(db, opts.cityCode, district, ent.industry_code) : null,
      enterprise_id: ent?.id ?? null,
      enterprise_name: ent?.name ?? (rand() < 0.5 ? `${pick(['金', '恒', '华', '利', '鑫'])}${pick(['达', '昌', '盛', '通'])}五金加工作坊` : null),
      place: ent ? null : pick(['镇工业园区内一处厂房', '城中村出租屋', '沿街商铺后院', '在建工地']),
      channel,
      category: p.category,
      description: p.text ?? (p.hazard ? `${pick(TEXTS[p.category])}。${p.hazard.description}` : pick(TEXTS[p.category])),
      anonymous: named ? 0 : 1,
      has_identity: named ? 1 : 0,
      status: 'received',
      received_at: receivedAt,
      accept_by: addDays(received, 7),
      accepted_at: null,
      declined_at: null,
      decline_reason: null,
      answered_on_time: null,
      verify_by: null,
      extension: 'none',
      extension_by: null,
      verified_at: null,
      verified_on_time: null,
      substantiated: null,
      verification: null,
      feedback_by: null,
      feedback: null,
      fed_back_at: null,
      duplicate_of: null,
      suspected_duplicate_of: null,
      hazards: 0,
      major_hazards: 0,
      reward_status: 'none',
      reward_yuan: null,
      reward_steps_json: null,
      reward_rule_from: null,
      reward_proposed_by: null,
      reward_approved_by: null,
      reward_paid_on: null,
      reward_payment_ref: null,
      claimed: 0,
      lookup_failures: 0,
      lookup_locked_until: null,
      version: 1,
      created_by: null,
      created_at: receivedAt,
      updated_at: receivedAt,
    };
    if (p.text && !firstId) firstId = id;
    else if (p.text && firstId) t.suspected_duplicate_of = t.duplicate_of = firstId;
    event(t, 'receive', receivedAt, channel === 'web' ? '举报人（网上）' : '区安委办', null, { channel, category: p.category });
    if (named && opts.keys) {
      const who = { name: `${pick([...SURNAMES])}${pick(GIVEN)}`, phone: `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` };
      const s = seal(opts.keys, JSON.stringify(who), `tips:${id}:identity`);
      sealed.push({ tip_id: id, field: 'identity', key_id: s.keyId, sealed: s.sealed, created_at: receivedAt });
    }
    const step = (days: number) => iso(p.at + days * 86_400_000);
    const office = `${district === '310115' ? '浦东新区' : '区'}安委办`;
    if (p.outcome === 'received') {
      tips.push(t);
      continue;
    }
    const answeredAt = step(1 + Math.floor(rand() * (k % 9 === 0 ? 10 : 5)));
    const answeredDay = shanghaiDate(new Date(answeredAt));
    t.answered_on_time = answeredDay <= t.accept_by ? 1 : 0;
    if (p.outcome === 'declined') {
      Object.assign(t, { status: 'declined', declined_at: answeredAt, decline_reason: '经核实，所反映问题不属于安全生产监管职责范围，已告知向相关部门反映。', version: 2, updated_at: answeredAt });
      event(t, 'decline', answeredAt, office, t.decline_reason);
      tips.push(t);
      continue;
    }
    Object.assign(t, { status: 'accepted', accepted_at: answeredAt, verify_by: addDays(answeredDay, 60), version: 2, updated_at: answeredAt });
    event(t, 'accept', answeredAt, office);
    if (p.outcome === 'accepted') {
      if (extensions < 2 && t.verify_by! < addDays(today, 25)) {
        extensions++;
        t.extension = extensions === 1 ? 'requested' : 'approved';
        if (t.extension === 'approved') t.verify_by = addDays(t.verify_by!, 30);
        event(t, 'extend', step(30), office, '涉及多个部门联合核查，需调取监控录像');
        if (t.extension === 'approved') event(t, 'approve_extension', step(31), '市安委办', null, { verifyBy: t.verify_by });
      }
      tips.push(t);
      continue;
    }
    const substantiated = p.outcome === 'substantiated';
    const verifiedAt = p.hazard ? p.hazard.found_at : step(12 + Math.floor(rand() * 40));
    const verifiedDay = shanghaiDate(new Date(verifiedAt));
    Object.assign(t, {
      status: 'verified',
      verified_at: verifiedAt,
      verified_on_time: verifiedDay <= t.verify_by! ? 1 : 0,
      substantiated: substantiated ? 1 : 0,
      verification: substantiated ? '经现场核查，举报情况属实，已责令企业限期整改，并依法查处。' : '经现场核查，未发现举报所述情况。',
      feedback_by: addDays(verifiedDay, 10),
      hazards: p.hazard ? 1 : 0,
      major_hazards: p.hazard?.grade === 'major' ? 1 : 0,
      version: 3,
      updated_at: verifiedAt,
    });
    if (p.hazard) origins.push({ hazard_id: p.hazard.id, origin_type: 'tip', origin_id: id, origin_item_id: null, created_at: verifiedAt });
    event(t, 'verify', verifiedAt, office, t.verification, { substantiated });
    if (p.outcome === 'verified') {
      tips.push(t);
      continue;
    }
    const fedBackAt = iso(Date.parse(verifiedAt) + (1 + Math.floor(rand() * 8)) * 86_400_000);
    Object.assign(t, { status: 'closed', feedback: substantiated ? '您反映的问题经核查属实，已责令企业整改并依法处理。感谢您的监督！' : '经现场核查，未发现您反映的情况。感谢您的监督！', fed_back_at: fedBackAt, version: 4, updated_at: fedBackAt });
    event(t, 'feedback', fedBackAt, office, t.feedback);
    tips.push(t);
  }

  // Rewards: the earliest substantiated tips that are not duplicates — two paid, one approved and claimed, one proposed.
  const rewarded = tips.filter((t) => t.substantiated === 1 && t.status === 'closed' && !t.duplicate_of && t.category !== 'concealed_accident').slice(0, 4);
  const fines = [60_000, 20_000, 300_000, 10_000];
  rewarded.forEach((t, k) => {
    // Computed as an office would: by the rule set in force (the default), step by step.
    const { amountYuan: amount, steps } = computeReward(TIP_REWARDS.default, { kind: 'fine_share', fineYuan: fines[k] });
    const at = iso(Date.parse(t.fed_back_at!) + 5 * 86_400_000);
    Object.assign(t, { reward_status: k < 2 ? 'paid' : k === 2 ? 'approved' : 'proposed', reward_yuan: amount, reward_steps_json: JSON.stringify(steps), reward_rule_from: '1949-01-01', version: t.version + (k < 2 ? 3 : k === 2 ? 2 : 1), updated_at: at });
    event(t, 'reward_propose', at, '区安委办', null, { amountYuan: amount, steps });
    if (k <= 2) event(t, 'reward_approve', iso(Date.parse(at) + 3 * 86_400_000), '区安委办负责人', null, { amountYuan: amount });
    if (k < 2) {
      t.reward_paid_on = shanghaiDate(new Date(iso(Date.parse(at) + 10 * 86_400_000)));
      t.reward_payment_ref = `JL-${t.reward_paid_on.slice(0, 4)}-${String(k + 1).padStart(3, '0')}`;
      event(t, 'reward_pay', iso(Date.parse(at) + 10 * 86_400_000), '区安委办', null, { paidOn: t.reward_paid_on, paymentRef: t.reward_payment_ref });
    }
    if (k === 2 && opts.keys) {
      t.claimed = 1;
      const s = seal(opts.keys, JSON.stringify({ name: '周敏', phone: '13900001234', bankName: '中国工商银行', bankAccount: '6222 0000 0000 0000 123' }), `tips:${t.id}:claim`);
      sealed.push({ tip_id: t.id, field: 'claim', key_id: s.keyId, sealed: s.sealed, created_at: at });
      event(t, 'claim', iso(Date.parse(at) + 4 * 86_400_000), '举报人');
    }
  });

  await insertMany(db, dialect, 'tips', tips);
  if (sealed.length) await insertMany(db, dialect, 'tip_sealed', sealed);
  if (origins.length) await insertMany(db, dialect, 'hazard_origins', origins);
  for (let i = 0; i < events.length; i += 500) await insertMany(db, dialect, 'record_events', events.slice(i, i + 500));
  await saveRecordCodeSeqs(db, seqRows('JB', seqs));
  await rebuildTipTallies(db, dialect);
  return { tips: tips.length, rewards: rewarded.length };
}
