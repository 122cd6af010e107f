/**
 * The demo city's self-checks (#14): the city's checklists — one generated from each judgement
 * standard in force that applies to a demo enterprise (as POST /api/checklists/from-standard makes
 * it), and a general one of plain fire and electrical questions — the schedules that assign them
 * (monthly by district, quarterly by industry), and six months of rounds ending with the current
 * period: most submitted on time, some late, some never (overdue). A round's findings are the
 * ledger's own self-check hazards, each found when its round was submitted, so the ledger, its
 * tallies and the self-check figures tell one story. The enterprises with a demo account keep their
 * current rounds open, for a visitor to submit. Deterministic for a given ledger and clock.
 */
import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { SelfCheckFrequency } from '../../shared/contracts/checklists';
import { addDays, shanghaiDate } from '../../shared/dates';
import { insertMany, type DialectName } from '../db/dialect';
import type { DB, HazardOriginsTable, SelfcheckResultsTable, SelfcheckRoundEventsTable, SelfcheckRoundsTable } from '../db/schema';
import { newRoundRow, periodOf } from '../modules/selfchecks/rounds';
import { storedInstant } from '../db/instants';
import { mulberry32, withIsoFoundAt } from './demo-hazards';
import { signersOf } from '../modules/selfchecks/signers';
import { SelfCheckDelta } from '../modules/selfchecks/tallies';

/** Plain questions of everyday fire and electrical safety (no clause: none of them is a judgement-standard criterion); `finds`: the demo ledger's findings each one would turn up. */
export const GENERAL_CHECKLIST = {
  title: '消防与用电安全自查表',
  items: [
    { text: '疏散通道、安全出口是否畅通，有无堆物或锁闭', category: '消防', finds: /消防通道|疏散通道/ },
    { text: '安全出口标志、疏散指示标志和应急照明是否完好', category: '消防', finds: /安全出口|指示灯/ },
    { text: '灭火器是否在有效期内，压力是否正常', category: '消防', finds: /灭火器压力|检验期/ },
    { text: '消火栓、自动喷水灭火系统等消防设施是否完好，有无遮挡', category: '消防' },
    { text: '动火作业是否办理审批，现场是否配备灭火器材并有专人监护', category: '消防', finds: /电焊|动火/ },
    { text: '燃气管道、软管是否完好，是否按期更换', category: '消防', finds: /燃气/ },
    { text: '配电箱是否可靠接地，箱门是否关闭、箱内有无积尘杂物', category: '用电', finds: /配电箱/ },
    { text: '电气线路有无私拉乱接、老化破损', category: '用电', finds: /私拉|线路/ },
  ],
} as const;

/** GB 35181 (major fire hazards) names no industry: the demo checks its crowded places against it — hotels, restaurants, venues. */
const EVERY_INDUSTRY_SCHEDULED = ['H', 'R'];
/** A round submitted late comes at most this many days after its due date. */
const LATE_DAYS = 20;
const MONTHS = 6;

export interface DemoRoundEnterprise {
  id: string;
  city_code: string;
  district_code: string;
  street_code: string | null;
  industry_code: string;
  principal_name: string;
  safety_manager_name: string | null;
}

export interface DemoChecklistItem {
  id: string;
  category: string | null;
  clause_id: string | null;
  finds?: RegExp;
}

export interface DemoChecklist {
  id: string;
  /** Generated from a judgement standard: whole categories of its clauses may not concern an enterprise. */
  fromStandard: boolean;
  items: DemoChecklistItem[];
}

export interface DemoSchedule {
  id: string;
  frequency: SelfCheckFrequency;
  checklist: DemoChecklist;
  enterprises: DemoRoundEnterprise[];
}

/** A self-check hazard on the ledger: a round's finding when one of the enterprise's rounds could have found it. */
export interface DemoFinding {
  id: string;
  enterprise_id: string;
  found_at: string;
  found_by_name: string;
  description: string;
  clause_id: string | null;
}

export interface DemoRoundsInput {
  schedules: DemoSchedule[];
  /** In time order. */
  findings: DemoFinding[];
  /** The first day of the rounds (Shanghai): their schedules start then. */
  start: string;
  now: Date;
  /** Enterprises with a demo account, by id: who submits their rounds; their current rounds stay open. */
  accounts: ReadonlyMap<string, { id: string; name: string }>;
  seed?: number;
  newId: () => string;
}

export interface GeneratedRounds {
  rounds: SelfcheckRoundsTable[];
  results: SelfcheckResultsTable[];
  events: SelfcheckRoundEventsTable[];
  origins: HazardOriginsTable[];
}


/** An instant `minutes` after midnight of a Shanghai date. */
const shanghaiAt = (date: string, minutes: number) => new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000).toISOString();
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** The first day of the month `months` before a date's. */
function monthsBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number);
  const k = y * 12 + (m - 1) - months;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
}

/** Each enterprise's habit: how often it submits on time and late (the rest it misses). */
const HABITS: [number, [number, number]][] = [
  [0.75, [0.93, 0.05]],
  [0.2, [0.75, 0.15]],
  [0.05, [0.4, 0.25]],
];

interface Plan {
  row: SelfcheckRoundsTable;
  enterprise: DemoRoundEnterprise;
  checklist: DemoChecklist;
  fate: 'on_time' | 'late' | 'missing';
  /** When it is submitted (if not after now). */
  at: string | null;
  /** A demo account's current round, left for the visitor. */
  open: boolean;
  finding?: { hazard: DemoFinding; itemId: string };
}

const itemFinding = (c: DemoChecklist, h: DemoFinding) => (h.clause_id ? c.items.find((i) => i.clause_id === h.clause_id) : c.items.find((i) => i.finds?.test(h.description)));

/** The rounds of the schedules over their months, their results, submission events and the hazards they found. Pure: rows in, rows out. */
export function generateDemoRounds(o: DemoRoundsInput): GeneratedRounds {
  const r = mulberry32(o.seed ?? 14);
  const today = shanghaiDate(o.now);
  const end = o.now.getTime();
  const habits = new Map<string, [number, number]>();
  const plans: Plan[] = [];
  for (const s of o.schedules) {
    for (const e of s.enterprises) {
      let habit = habits.get(e.id);
      if (!habit) {
        let x = r();
        habit = HABITS.find(([w]) => (x -= w) < 0)?.[1] ?? HABITS[0][1];
        habits.set(e.id, habit);
      }
      for (let p = periodOf(s.frequency, o.start); p.start <= today; p = periodOf(s.frequency, addDays(p.due, 1))) {
        const from = p.start < o.start ? o.start : p.start;
        const x = r();
        const fate = x < habit[0] ? 'on_time' : x < habit[0] + habit[1] ? 'late' : 'missing';
        // Most are done towards the end of their period; the late ones within a few weeks after it.
        const day = fate === 'late' ? addDays(p.due, 1 + Math.floor(r() * LATE_DAYS)) : addDays(from, Math.floor((1 - (1 - r()) ** 2) * (daysBetween(from, p.due) + 1)));
        const at = fate === 'missing' ? null : shanghaiAt(day, 8 * 60 + 30 + Math.floor(r() * 9 * 60));
        plans.push({
          row: newRoundRow(e, { id: s.id, checklist_id: s.checklist.id, version: 1 }, p, shanghaiAt(from, 5), o.newId()),
          enterprise: e,
          checklist: s.checklist,
          fate,
          at,
          open: o.accounts.has(e.id) && p.due >= today,
        });
      }
    }
  }

  // Each self-check hazard is the finding of one round of its enterprise that was (or, late, was still being) done that day.
  const byEnterprise = new Map<string, Plan[]>();
  for (const p of plans) {
    const list = byEnterprise.get(p.enterprise.id);
    if (list) list.push(p);
    else byEnterprise.set(p.enterprise.id, [p]);
  }
  for (const h of o.findings) {
    const day = shanghaiDate(new Date(h.found_at));
    const candidates = (byEnterprise.get(h.enterprise_id) ?? []).filter((p) => !p.finding && !p.open && p.fate !== 'missing' && day >= p.row.period_start);
    const inPeriod = candidates.filter((p) => day <= p.row.due_date);
    const late = candidates.filter((p) => p.fate === 'late' && day > p.row.due_date && day <= addDays(p.row.due_date, LATE_DAYS));
    for (const p of [...inPeriod, ...late]) {
      const item = itemFinding(p.checklist, h);
      if (!item) continue;
      p.finding = { hazard: h, itemId: item.id };
      p.at = h.found_at;
      break;
    }
  }

  const out: GeneratedRounds = { rounds: [], results: [], events: [], origins: [] };
  // Whether a standard's category of clauses concerns an enterprise: decided once, the same every period.
  const concerns = new Map<string, Map<string | null, boolean>>();
  const concernsOf = (p: Plan) => {
    const key = `${p.enterprise.id}|${p.checklist.id}`;
    let m = concerns.get(key);
    if (!m) {
      m = new Map();
      for (const item of p.checklist.items) if (!m.has(item.category)) m.set(item.category, r() < 0.6);
      concerns.set(key, m);
    }
    return m;
  };
  for (const p of plans) {
    out.rounds.push(p.row);
    if (p.open || !p.at || Date.parse(p.at) > end) continue;
    const signers = signersOf(p.enterprise);
    const signer = p.finding ? (signers.find((s) => s.name === p.finding!.hazard.found_by_name) ?? signers[0]) : signers[r() < 0.3 ? 0 : signers.length - 1];
    const account = o.accounts.get(p.enterprise.id);
    const hazardIds = p.finding ? [p.finding.hazard.id] : [];
    let ok = 0;
    let na = 0;
    const concern = p.checklist.fromStandard ? concernsOf(p) : null;
    for (const item of p.checklist.items) {
      const found = p.finding?.itemId === item.id;
      const notConcerned = !found && (concern ? !concern.get(item.category) : r() < 0.03);
      if (notConcerned) na++;
      else if (!found) ok++;
      out.results.push({ round_id: p.row.id, item_id: item.id, result: found ? 'hazard' : notConcerned ? 'na' : 'ok', note: notConcerned ? '本企业不涉及' : null, hazard_id: found ? p.finding!.hazard.id : null });
    }
    Object.assign(p.row, { submitted_at: p.at, submitted_by: account?.id ?? null, signed_by_name: signer.name, signed_by_role: signer.role, findings: hazardIds.length, version: 2 });
    out.events.push({
      id: o.newId(),
      round_id: p.row.id,
      seq: 1,
      action: 'submit',
      actor_id: account?.id ?? null,
      actor_name: account?.name ?? signer.name,
      at: p.at,
      comment: hazardIds.length ? null : '零隐患自查',
      data_json: JSON.stringify({ findings: hazardIds.length, ok, na, signedBy: signer.name, signedByRole: signer.role, hazardIds }),
    });
    if (p.finding) out.origins.push({ hazard_id: p.finding.hazard.id, origin_type: 'selfcheck', origin_id: p.row.id, origin_item_id: p.finding.itemId, created_at: p.at });
  }
  return out;
}

/** A standard's checklist title, as a person would name it: 工贸企业重大事故隐患判定标准 → 工贸企业重大事故隐患自查表. */
const checklistTitle = (standard: string) => (/判定(标准|方法)/.test(standard) ? standard.replace(/判定(标准|方法)/, '自查表') : `${standard}自查表`);

export interface DemoSelfCheckCounts {
  checklists: number;
  schedules: number;
  rounds: number;
  submitted: number;
  findings: number;
}

/**
 * Loads the demo's self-checks into a city whose enterprises, accounts and hazards are loaded (in
 * the caller's transaction), with their tallies. The checklists are the city's, made by its officer;
 * a district with an officer's account schedules its own enterprises, the city the others'.
 */
export async function insertDemoSelfChecks(db: Kysely<DB>, dialect: DialectName, o: { now: Date; cityCode: string; seed?: number }): Promise<DemoSelfCheckCounts> {
  const today = shanghaiDate(o.now);
  const start = monthsBefore(today, MONTHS - 1);
  const users = await db.selectFrom('users').select(['id', 'role', 'region_code', 'display_name', 'enterprise_id']).where('status', '=', 'active').orderBy('username').execute();
  const cityUser = users.find((u) => u.role === 'city_officer' && u.region_code === o.cityCode) ?? users.find((u) => u.role === 'city_admin');
  if (!cityUser) throw new Error('the demo self-checks need a city officer or administrator');
  const accounts = new Map(users.filter((u) => u.role === 'enterprise' && u.enterprise_id).map((u) => [u.enterprise_id!, { id: u.id, name: u.display_name }]));
  const enterprises = await db
    .selectFrom('enterprises')
    .select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'principal_name', 'safety_manager_name'])
    .where('city_code', '=', o.cityCode)
    .orderBy('id')
    .execute();
  const sectionOf = new Map((await db.selectFrom('industries').select(['code', 'parent_code']).where('level', '=', 'division').execute()).map((i) => [i.code, i.parent_code ?? '']));
  const inIndustry = (code: string) => enterprises.filter((e) => e.industry_code === code || sectionOf.get(e.industry_code) === code);

  const madeAt = shanghaiAt(addDays(start, -7), 10 * 60);
  const scheduledAt = shanghaiAt(addDays(start, -3), 10 * 60);
  const checklistRows: DB['checklists'][] = [];
  const itemRows: DB['checklist_items'][] = [];
  const checklist = (title: string, industryCodes: string[], standardId: string | null, items: { text: string; category: string | null; clause_id: string | null; finds?: RegExp }[]): DemoChecklist => {
    const id = uuidv7();
    checklistRows.push({ id, city_code: o.cityCode, owner_level: 'city', owner_id: o.cityCode, title, industry_codes: JSON.stringify(industryCodes), enterprise_kinds: '[]', standard_id: standardId, version: 1, created_by: cityUser.id, created_at: madeAt, updated_at: madeAt });
    const demoItems = items.map((i, k) => {
      const item = { id: uuidv7(), checklist_id: id, version: 1, seq: k + 1, text: i.text.length > 500 ? `${i.text.slice(0, 499)}…` : i.text, category: i.category, clause_id: i.clause_id };
      itemRows.push(item);
      return { id: item.id, category: i.category, clause_id: i.clause_id, finds: i.finds };
    });
    return { id, fromStandard: standardId !== null, items: demoItems };
  };
  const scheduleRows: DB['selfcheck_schedules'][] = [];
  const schedules: DemoSchedule[] = [];
  const schedule = (c: DemoChecklist, frequency: SelfCheckFrequency, filter: { districtCode?: string; industryCode?: string }, targets: DemoRoundEnterprise[], owner: { level: string; id: string; by: string }) => {
    if (!targets.length) return;
    const id = uuidv7();
    scheduleRows.push({ id, city_code: o.cityCode, checklist_id: c.id, owner_level: owner.level, owner_id: owner.id, frequency, start_date: start, filter_json: JSON.stringify(filter), created_by: owner.by, created_at: scheduledAt });
    schedules.push({ id, frequency, checklist: c, enterprises: targets });
  };

  // Fire and electricity every month, by district.
  const general = checklist(GENERAL_CHECKLIST.title, [], null, GENERAL_CHECKLIST.items.map((i) => ({ ...i, clause_id: null })));
  for (const district of [...new Set(enterprises.map((e) => e.district_code))].sort()) {
    const officer = users.find((u) => u.role === 'district_officer' && u.region_code === district);
    const owner = officer ? { level: 'district', id: district, by: officer.id } : { level: 'city', id: o.cityCode, by: cityUser.id };
    schedule(general, 'monthly', { districtCode: district }, enterprises.filter((e) => e.district_code === district), owner);
  }

  // A checklist from every standard in force that concerns a demo enterprise. Each industry division is checked every quarter
  // against one of them: the first naming the division, else its section (crowded places: the fire standard) — so a chemical
  // plant checks against the chemical standard, not the 工贸 one as well. The demo tells enterprises apart by division only, so
  // the standards sharing a division with an earlier one (fireworks, explosives, road operation) are published but not scheduled.
  const standards = await db.selectFrom('standards').select(['id', 'title']).where('status', 'is', null).orderBy('sort').execute();
  const clauses = await db.selectFrom('standard_clauses').select(['id', 'standard_id', 'text', 'category']).where('is_lead_in', '=', 0).orderBy('standard_id').orderBy('sort').execute();
  const mapping = await db.selectFrom('standard_industries').select(['standard_id', 'industry_code']).orderBy('industry_code').execute();
  const published: { codes: string[]; checklist: DemoChecklist }[] = [];
  for (const s of standards) {
    const own = clauses.filter((c) => c.standard_id === s.id);
    const codes = mapping.filter((m) => m.standard_id === s.id).map((m) => m.industry_code);
    const everyIndustry = codes.includes('*');
    if (!own.length || !(everyIndustry || codes.some((code) => inIndustry(code).length))) continue;
    const c = checklist(checklistTitle(s.title), everyIndustry ? [] : codes, s.id, own.map((x) => ({ text: x.text, category: x.category, clause_id: x.id })));
    published.push({ codes: everyIndustry ? EVERY_INDUSTRY_SCHEDULED : codes, checklist: c });
  }
  for (const division of [...new Set(enterprises.map((e) => e.industry_code))].sort()) {
    const section = sectionOf.get(division) ?? '';
    const against = published.find((p) => p.codes.includes(division)) ?? published.find((p) => p.codes.includes(section));
    if (against) schedule(against.checklist, 'quarterly', { industryCode: division }, inIndustry(division), { level: 'city', id: o.cityCode, by: cityUser.id });
  }

  const scheduled = new Set(schedules.flatMap((s) => s.enterprises.map((e) => e.id)));
  const findings = (
    await db
      .selectFrom('hazards as h')
      .leftJoin('hazard_clauses as hc', 'hc.hazard_id', 'h.id')
      .select(['h.id', 'h.enterprise_id', 'h.found_at', 'h.found_by_name', 'h.description', 'hc.clause_id'])
      .where('h.city_code', '=', o.cityCode)
      .where('h.source', '=', 'self_check')
      .where('h.status', '!=', 'voided')
      .where('h.found_at', '>=', storedInstant(shanghaiAt(start, 0)))
      .orderBy('h.found_at')
      .orderBy('h.id')
      .execute()
      .then(withIsoFoundAt)
  ).filter((h, k, all) => scheduled.has(h.enterprise_id) && all[k - 1]?.id !== h.id);
  const g = generateDemoRounds({ schedules, findings, start, now: o.now, accounts, seed: o.seed, newId: uuidv7 });

  const delta = new SelfCheckDelta();
  const first = enterprises.filter((e) => scheduled.has(e.id)).map((e) => ({ enterprise_id: e.id, city_code: e.city_code, district_code: e.district_code, street_code: e.street_code ?? '', industry_code: e.industry_code, first_scheduled_at: scheduledAt }));
  for (const e of first) delta.enterprise(e);
  for (const round of g.rounds) {
    delta.round(round);
    if (round.submitted_at) delta.submitted(round, new Date(round.submitted_at), round.findings ?? 0);
  }
  await insertMany(db, dialect, 'checklists', checklistRows);
  await insertMany(db, dialect, 'checklist_items', itemRows);
  await insertMany(db, dialect, 'selfcheck_schedules', scheduleRows);
  await insertMany(db, dialect, 'selfcheck_schedule_targets', schedules.flatMap((s) => s.enterprises.map((e) => ({ schedule_id: s.id, enterprise_id: e.id }))));
  await insertMany(db, dialect, 'selfcheck_enterprises', first);
  await insertMany(db, dialect, 'selfcheck_rounds', g.rounds);
  await insertMany(db, dialect, 'selfcheck_results', g.results);
  await insertMany(db, dialect, 'selfcheck_round_events', g.events);
  await insertMany(db, dialect, 'hazard_origins', g.origins);
  await delta.apply(db, dialect);
  return { checklists: checklistRows.length, schedules: scheduleRows.length, rounds: g.rounds.length, submitted: g.events.length, findings: g.origins.length };
}
