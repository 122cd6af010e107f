import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../db/schema';
import { rebuildTallies } from '../modules/dashboard/tallies';
import { rebuildSelfCheckTallies } from '../modules/selfchecks/tallies';
import { DIALECTS, createTestApp, rolledBack, tallySnapshot, type TestApp } from '../test/harness';
import { GENERAL_CHECKLIST, generateDemoRounds, type DemoRoundsInput } from './demo-selfchecks';

// Friday 4 December 2026, 14:00 in Shanghai.
const clock = Date.parse('2026-12-04T06:00:00Z');
const today = '2026-12-04';
const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

const selfCheckTallies = async (db: Kysely<DB>) =>
  (await db.selectFrom('selfcheck_tallies').selectAll().execute())
    .map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
    .filter((x) => ['enterprises', 'rounds', 'on_time', 'late', 'with_findings', 'hazards'].some((k) => x[k] !== 0))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('demo self-check rounds (pure)', () => {
  const enterprises = Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, city_code: '310000', district_code: '310115', street_code: null, industry_code: '34', principal_name: `负责人${i}`, safety_manager_name: `安全员${i}` }));
  const general = { id: 'general', fromStandard: false, items: GENERAL_CHECKLIST.items.map((x, k) => ({ id: `g${k}`, category: x.category, clause_id: null, finds: 'finds' in x ? x.finds : undefined })) };
  const standard = { id: 'standard', fromStandard: true, items: [0, 1, 2, 3].map((k) => ({ id: `s${k}`, category: `类${k % 2}`, clause_id: `c${k}` })) };
  const input = (): DemoRoundsInput => {
    let n = 0;
    return {
      schedules: [
        { id: 'monthly', frequency: 'monthly', checklist: general, enterprises },
        { id: 'quarterly', frequency: 'quarterly', checklist: standard, enterprises: enterprises.slice(0, 10) },
      ],
      findings: [
        { id: 'h1', enterprise_id: 'e3', found_at: '2026-09-10T02:00:00.000Z', found_by_name: '安全员3', description: '消防通道局部堆放杂物', clause_id: null },
        { id: 'h2', enterprise_id: 'e4', found_at: '2026-10-20T02:00:00.000Z', found_by_name: '安全员4', description: '粉尘爆炸危险场所未设置泄爆装置', clause_id: 'c2' },
        { id: 'h3', enterprise_id: 'e5', found_at: '2026-10-20T02:00:00.000Z', found_by_name: '安全员5', description: '叉车未按规定每日点检，记录缺失', clause_id: null },
        { id: 'h4', enterprise_id: 'e0', found_at: '2026-12-02T02:00:00.000Z', found_by_name: '安全员0', description: '配电箱箱门未关闭，箱内积尘', clause_id: null },
      ],
      start: '2026-07-01',
      now: new Date(clock),
      accounts: new Map([['e0', { id: 'u0', name: '企业账号' }]]),
      newId: () => `id${++n}`,
    };
  };

  it('is deterministic, six months of monthly rounds and three quarters, and links a finding only to an item that would find it', () => {
    const g = generateDemoRounds(input());
    expect(generateDemoRounds(input())).toEqual(g);
    expect(generateDemoRounds({ ...input(), seed: 15 })).not.toEqual(g);
    expect(new Set(g.rounds.filter((r) => r.schedule_id === 'monthly').map((r) => r.period))).toEqual(new Set(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']));
    expect(new Set(g.rounds.filter((r) => r.schedule_id === 'quarterly').map((r) => r.period))).toEqual(new Set(['2026-Q3', '2026-Q4']));
    // The blocked fire exit is the evacuation item's finding; the missing vent cites its clause; the forklift is nothing a checklist here asks about.
    const byHazard = new Map(g.origins.map((o) => [o.hazard_id, o]));
    expect(byHazard.get('h1')?.origin_item_id).toBe('g0');
    expect(byHazard.get('h2')?.origin_item_id).toBe('s2');
    expect(byHazard.has('h3')).toBe(false);
    // The demo account's current rounds stay open, even with a finding that day.
    expect(byHazard.has('h4')).toBe(false);
    expect(g.rounds.filter((r) => r.enterprise_id === 'e0' && r.due_date >= today).every((r) => r.submitted_at === null)).toBe(true);
    for (const o of g.origins) {
      const round = g.rounds.find((r) => r.id === o.origin_id)!;
      expect(round).toMatchObject({ findings: 1, signed_by_name: input().findings.find((h) => h.id === o.hazard_id)!.found_by_name, signed_by_role: '安全管理人员' });
      expect(round.submitted_at).toBe(input().findings.find((h) => h.id === o.hazard_id)!.found_at);
    }
    expect(g.rounds.every((r) => !r.submitted_at || Date.parse(r.submitted_at) <= clock)).toBe(true);
  });
});

describe.each(DIALECTS)('the demo city’s self-checks on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 200, demoHazards: 2000, now: () => new Date(clock) });
  });
  afterAll(() => t?.close());

  it('has the city’s checklists: one per standard in force that concerns a demo enterprise, each clause an item citing it, and the general fire and electrical one', async () => {
    const db = t.database.db;
    const lists = await db.selectFrom('checklists').selectAll().execute();
    expect(lists.every((l) => l.owner_level === 'city' && l.owner_id === '310000' && l.version === 1)).toBe(true);
    const general = lists.find((l) => l.title === GENERAL_CHECKLIST.title)!;
    expect(general.standard_id).toBeNull();
    const generalItems = await db.selectFrom('checklist_items').select(['text', 'clause_id']).where('checklist_id', '=', general.id).orderBy('seq').execute();
    expect(generalItems.map((i) => i.text)).toEqual(GENERAL_CHECKLIST.items.map((i) => i.text));
    expect(generalItems.every((i) => i.clause_id === null)).toBe(true);
    const fromStandards = lists.filter((l) => l.standard_id);
    expect(fromStandards.map((l) => l.standard_id)).toContain('gongmao-2023');
    expect(fromStandards.map((l) => l.standard_id)).not.toContain('minbao-2023'); // repealed
    for (const l of fromStandards) {
      const clauses = await db.selectFrom('standard_clauses').select('id').where('standard_id', '=', l.standard_id!).where('is_lead_in', '=', 0).orderBy('sort').execute();
      const items = await db.selectFrom('checklist_items').select('clause_id').where('checklist_id', '=', l.id).orderBy('seq').execute();
      expect(items.map((i) => i.clause_id), l.title).toEqual(clauses.map((c) => c.id));
    }
  });

  it('has one round per enterprise and period, six months of them, most on time, some late, some overdue, some with findings', async () => {
    const db = t.database.db;
    const rounds = await db.selectFrom('selfcheck_rounds').selectAll().execute();
    expect(new Set(rounds.map((r) => `${r.enterprise_id}|${r.period}`)).size).toBe(rounds.length);
    expect(new Set(rounds.filter((r) => /^\d{4}-\d{2}$/.test(r.period)).map((r) => r.period))).toEqual(new Set(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']));
    const enterprises = await db.selectFrom('enterprises').select(['id', 'district_code', 'street_code', 'industry_code']).execute();
    expect(rounds.filter((r) => r.period === '2026-12')).toHaveLength(enterprises.length); // every enterprise, every month
    const ent = new Map(enterprises.map((e) => [e.id, e]));
    for (const r of rounds) expect([r.district_code, r.street_code, r.industry_code]).toEqual([ent.get(r.enterprise_id)!.district_code, ent.get(r.enterprise_id)!.street_code, ent.get(r.enterprise_id)!.industry_code]);
    const past = rounds.filter((r) => r.due_date < today);
    const onTime = past.filter((r) => r.submitted_at && shanghaiDay(r.submitted_at) <= r.due_date).length;
    const late = past.filter((r) => r.submitted_at && shanghaiDay(r.submitted_at) > r.due_date).length;
    const overdue = past.filter((r) => !r.submitted_at).length;
    expect(onTime / past.length).toBeGreaterThan(0.75);
    expect(late).toBeGreaterThan(0);
    expect(overdue).toBeGreaterThan(0);
    expect(rounds.filter((r) => (r.findings ?? 0) > 0).length).toBeGreaterThan(10);
    expect(rounds.every((r) => !r.submitted_at || Date.parse(r.submitted_at) <= clock)).toBe(true);

    // The lists and figures read them like any other rounds.
    const city = await t.login('city');
    const stats = (await t.as(city, { method: 'GET', url: '/api/selfchecks/stats?groupBy=district' })).json();
    expect(stats.total).toMatchObject({ rounds: rounds.length, onTime: rounds.filter((r) => r.submitted_at && shanghaiDay(r.submitted_at) <= r.due_date).length, late, overdue });
    expect((await t.as(city, { method: 'GET', url: '/api/selfchecks?status=overdue&pageSize=1' })).json().total).toBe(overdue);
  });

  it('every finding is a self-check hazard on the ledger, linked to its round and item, found when the round was submitted', async () => {
    const db = t.database.db;
    const rounds = await db.selectFrom('selfcheck_rounds').selectAll().execute();
    const results = await db.selectFrom('selfcheck_results').selectAll().execute();
    const origins = await db.selectFrom('hazard_origins').selectAll().where('origin_type', '=', 'selfcheck').execute();
    const events = await db.selectFrom('selfcheck_round_events').selectAll().execute();
    const items = await db.selectFrom('checklist_items').select(['id', 'checklist_id', 'clause_id']).execute();
    const hazards = new Map((await db.selectFrom('hazards').selectAll().where('id', 'in', origins.length ? origins.map((o) => o.hazard_id) : ['']).execute()).map((h) => [h.id, h]));
    const cited = new Map((await db.selectFrom('hazard_clauses').selectAll().execute()).map((c) => [c.hazard_id, c.clause_id]));
    const firstEvents = new Map(
      (await db.selectFrom('hazard_events').innerJoin('hazards', 'hazards.num', 'hazard_events.hazard_num').select(['hazards.id as hazard_id', 'hazard_events.action', 'hazard_events.at']).where('hazard_events.seq', '=', 1).execute()).map((e) => [e.hazard_id, e]),
    );
    const itemsOf = (checklistId: string) => items.filter((i) => i.checklist_id === checklistId).map((i) => i.id).sort();

    expect(origins.length).toBeGreaterThan(10);
    for (const r of rounds) {
      const mine = results.filter((x) => x.round_id === r.id);
      const linked = origins.filter((o) => o.origin_id === r.id);
      if (!r.submitted_at) {
        expect([r.findings, mine.length, linked.length, r.version]).toEqual([null, 0, 0, 1]);
        continue;
      }
      expect(r.version).toBe(2);
      expect(mine.map((x) => x.item_id).sort()).toEqual(itemsOf(r.checklist_id));
      expect(mine.filter((x) => x.result === 'hazard').length).toBe(r.findings);
      expect(linked.length).toBe(r.findings);
      expect(events.filter((e) => e.round_id === r.id).map((e) => [e.seq, e.action, e.at, e.comment])).toEqual([[1, 'submit', r.submitted_at, r.findings ? null : '零隐患自查']]);
      for (const o of linked) {
        expect(o.origin_type).toBe('selfcheck');
        expect(mine.find((x) => x.item_id === o.origin_item_id)).toMatchObject({ result: 'hazard', hazard_id: o.hazard_id });
        const h = hazards.get(o.hazard_id)!;
        expect(h).toMatchObject({ source: 'self_check', enterprise_id: r.enterprise_id, district_code: r.district_code, street_code: r.street_code, industry_code: r.industry_code, found_at: Date.parse(r.submitted_at!), found_by_name: r.signed_by_name });
        expect(h.status).not.toBe('voided');
        expect(firstEvents.get(h.id)).toMatchObject({ action: 'report', at: h.found_at });
        // A major hazard is found on the item citing its clause.
        const item = items.find((i) => i.id === o.origin_item_id)!;
        if (h.grade === 'major') expect(item.clause_id).toBe(cited.get(h.id));
        else expect(item.clause_id).toBeNull();
      }
    }
    expect(results.filter((x) => x.hazard_id).length).toBe(origins.length);
  });

  it('keeps both sets of tallies equal to a rebuild: the ledger’s and the self-checks’', async () => {
    const db = t.database.db;
    const ledger = await tallySnapshot(db);
    expect(await rolledBack(db, async (trx) => (await rebuildTallies(trx, dialect, new Date(clock)), tallySnapshot(trx)))).toEqual(ledger);
    const kept = await selfCheckTallies(db);
    expect(kept.length).toBeGreaterThan(0);
    expect(await rolledBack(db, async (trx) => (await rebuildSelfCheckTallies(trx, dialect), selfCheckTallies(trx)))).toEqual(kept);
  });

  it('leaves ent-pd a round due this period, which it can submit', async () => {
    const ent = await t.login('ent-pd');
    const due = (await t.as(ent, { method: 'GET', url: '/api/selfchecks?status=due&pageSize=50' })).json();
    const current = due.items.filter((r: { period: string }) => r.period === '2026-12');
    expect(current).toHaveLength(1);
    const detail = (await t.as(ent, { method: 'GET', url: `/api/selfchecks/${current[0].id}` })).json();
    expect(detail).toMatchObject({ status: 'due', maySubmit: true, results: [] });
    const r = await t.as(ent, {
      method: 'POST',
      url: `/api/selfchecks/${current[0].id}/submit`,
      payload: { version: detail.version, results: detail.items.map((i: { id: string }) => ({ itemId: i.id, result: 'ok' })), signedBy: detail.signers[0].name, confirmNoFindings: true },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'done', findings: 0 });
    const db = t.database.db;
    expect(await rolledBack(db, async (trx) => (await rebuildSelfCheckTallies(trx, dialect), selfCheckTallies(trx)))).toEqual(await selfCheckTallies(db));
  });
});

describe.each(DIALECTS)('the demo city without hazards on %s', (dialect) => {
  it('has no self-check history either', async () => {
    const t = await createTestApp(dialect, { demo: true, demoCount: 20 });
    try {
      for (const table of ['checklists', 'selfcheck_schedules', 'selfcheck_rounds', 'selfcheck_tallies'] as const) {
        expect(Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), table).toBe(0);
      }
    } finally {
      await t.close();
    }
  });
});
