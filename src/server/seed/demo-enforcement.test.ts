import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANNED_TYPES } from '../../shared/contracts/enforcement';
import { periodOf } from '../../shared/periods';
import { verifyAuditChains } from '../audit/audit';
import type { DB } from '../db/schema';
import { walkDraw } from '../modules/enforcement/draw-algorithm';
import { DISCRETION } from '../modules/enforcement/provisions';
import { quarterSpan, rebuildEnforcementTallies } from '../modules/enforcement/tallies';
import { DIALECTS, createTestApp, rolledBack, type TestApp } from '../test/harness';
import { generateDemoEnforcement, type DemoEnforcementInput } from './demo-enforcement';

// Friday 4 December 2026, 14:00 in Shanghai.
const clock = Date.parse('2026-12-04T06:00:00Z');
const today = '2026-12-04';
const week = periodOf('weekly', today);
const shanghaiDay = (at: string | number) => new Date((typeof at === 'number' ? at : Date.parse(at)) + 8 * 3_600_000).toISOString().slice(0, 10);
const DEMO = { demo: true, demoCount: 200, demoHazards: 2000, demoEnforcement: true, now: () => new Date(clock) };

const enforcementTallies = async (db: Kysely<DB>) =>
  (await db.selectFrom('enforcement_tallies').selectAll().execute())
    .map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)])))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** What a load is made of, ids aside. */
async function shape(db: Kysely<DB>) {
  const count = async (table: keyof DB) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const byStatus = async (table: 'inspections' | 'cases') => Object.fromEntries((await db.selectFrom(table).select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').orderBy('status').execute()).map((r) => [r.status, Number(r.n)]));
  const findings = await db.selectFrom('inspections').select([(eb) => eb.fn.sum<number>('findings').as('f'), (eb) => eb.fn.sum<number>('major_findings').as('m')]).executeTakeFirstOrThrow();
  return {
    inspections: await byStatus('inspections'),
    cases: await byStatus('cases'),
    findings: [Number(findings.f), Number(findings.m)],
    ...Object.fromEntries(await Promise.all((['inspection_plans', 'inspection_plan_items', 'key_units', 'draws', 'inspection_inspectors', 'record_events', 'hazard_origins'] as const).map(async (t) => [t, await count(t)]))),
  };
}

describe('demo enforcement (pure)', () => {
  const districts = ['310115', '310101'];
  const input = (): DemoEnforcementInput => {
    let n = 0;
    const enterprises = Array.from({ length: 30 }, (_, i) => ({
      id: `e${String(i).padStart(2, '0')}`,
      city_code: '310000',
      district_code: districts[i % 2],
      street_code: null,
      industry_code: '34',
      principal_name: `负责人${i}`,
      risk_class: (['major', 'high', 'general', 'low'] as const)[i % 4],
      standardization_level: (['level1', 'level2', 'level3', 'none'] as const)[i % 4],
    }));
    const inspectors = [
      ...[1, 2, 3, 4].map((k) => ({ id: `u-pd${k}`, name: `浦东${k}`, username: `inspector-pd${k}`, district_code: '310115' })),
      ...[1, 2].map((k) => ({ id: `u-hp${k}`, name: `黄浦${k}`, username: `inspector-hp${k}`, district_code: '310101' })),
    ];
    // Sixty findings over the last two years, some on the same enterprise and day.
    const findings = Array.from({ length: 60 }, (_, k) => ({
      id: `h${String(k).padStart(2, '0')}`,
      enterprise_id: enterprises[(k * 7) % 30].id,
      found_at: new Date(Date.parse('2025-01-06T02:00:00Z') + Math.floor(k / 2) * 23 * 86_400_000 + (k % 2) * 3_600_000).toISOString(),
      grade: k % 9 === 0 ? 'major' : 'general',
      description: '配电箱箱门未关闭，箱内积尘',
    }));
    return {
      enterprises,
      inspectors,
      officerOf: (d) => ({ id: `o${d}`, name: `${d}安委办`, username: `officer-${d}`, district_code: d }),
      findings,
      districtNames: new Map([['310115', '浦东新区'], ['310101', '黄浦区']]),
      provisionId: 'p102',
      discretion: DISCRETION.default,
      leadId: 'u-pd1',
      now: new Date(clock),
      newId: () => `id${String(++n).padStart(6, '0')}`,
    };
  };

  it('is deterministic; every finding belongs to one inspection of its enterprise that day, by two of its district’s inspectors', () => {
    const g = generateDemoEnforcement(input());
    expect(generateDemoEnforcement(input())).toEqual(g);
    expect(generateDemoEnforcement({ ...input(), seed: 16 })).not.toEqual(g);
    const byId = new Map(g.inspections.map((i) => [i.id, i]));
    expect(g.origins.map((o) => o.hazard_id).sort()).toEqual(input().findings.map((h) => h.id));
    for (const h of input().findings) {
      const i = byId.get(g.origins.find((o) => o.hazard_id === h.id)!.origin_id)!;
      expect([i.enterprise_id, i.date, i.status]).toEqual([h.enterprise_id, shanghaiDay(h.found_at), 'finished']);
      expect(i.started_at! <= h.found_at && h.found_at <= i.finished_at!).toBe(true);
    }
    for (const i of g.inspections) {
      const people = g.inspectors.filter((x) => x.inspection_id === i.id).map((x) => x.user_id);
      expect(people).toHaveLength(2);
      expect(people.every((u) => u.startsWith(i.district_code === '310115' ? 'u-pd' : 'u-hp'))).toBe(true);
      expect(i.findings).toBe(g.origins.filter((o) => o.origin_id === i.id).length);
      expect(i.code).toMatch(new RegExp(`^JC-${i.district_code}-${i.date.slice(0, 4)}-\\d{6}$`));
      if (i.status === 'finished') expect(i.finished_at! <= new Date(clock).toISOString() && i.signed_by).toBeTruthy();
    }
    expect(new Set(g.inspections.map((i) => i.code)).size).toBe(g.inspections.length);
    // Outside draws an enterprise keeps its two inspectors.
    for (const e of input().enterprises) {
      const mine = new Set(g.inspections.filter((i) => i.enterprise_id === e.id && !i.draw_id).flatMap((i) => g.inspectors.filter((x) => x.inspection_id === i.id).map((x) => x.user_id)));
      expect(mine.size, e.id).toBeLessThanOrEqual(2);
    }
  });

  it('draws as createDraw does, so the stored pool, seed and candidates give the stored result', () => {
    const g = generateDemoEnforcement(input());
    expect(g.draws).toHaveLength(2);
    for (const d of g.draws) {
      const pool = JSON.parse(d.pool_json) as string[];
      expect(pool).toEqual(input().enterprises.filter((e) => e.district_code === '310115').map((e) => e.id).sort());
      const candidates = JSON.parse(d.candidates_json) as Record<string, string[]>;
      const again = walkDraw(pool, d.seed, d.count, d.per_inspection, (e) => candidates[e]);
      expect(again.unknown).toEqual([]);
      expect(JSON.stringify({ enterpriseIds: again.enterpriseIds, assignments: again.assignments })).toBe(d.result_json);
      expect(g.audits.find((a) => a.action === 'draw.made' && a.entityId === d.id)?.after).toMatchObject({ poolHash: d.pool_hash, seed: d.seed });
      const drawn = g.inspections.filter((i) => i.draw_id === d.id);
      expect(drawn.map((i) => i.enterprise_id)).toEqual(again.enterpriseIds);
      expect(drawn.every((i) => i.type === 'random' && i.date === d.date)).toBe(true);
    }
    expect(g.draws.map((d) => d.published)).toEqual([1, 0]);
    expect(g.inspections.filter((i) => i.draw_id).map((i) => i.status).sort()).toEqual(['finished', 'planned', 'planned', 'planned', 'planned', 'planned']);
    // The lead inspector's week.
    const planned = g.inspections.filter((i) => i.status === 'planned' && !i.draw_id);
    expect(planned.length).toBe(3);
    expect(planned.every((i) => i.date >= today && i.date <= week.due && g.inspectors.some((x) => x.inspection_id === i.id && x.user_id === 'u-pd1'))).toBe(true);
  });

  it('has cases at every step, each step’s event, fines within the discretion table', () => {
    const g = generateDemoEnforcement(input());
    expect(new Set(g.cases.map((c) => c.status))).toEqual(new Set(['filed', 'decided', 'executed', 'closed']));
    for (const c of g.cases) {
      const i = g.inspections.find((x) => x.id === c.inspection_id)!;
      expect(i.findings).toBeGreaterThan(0);
      expect(c.filed_on >= i.date && c.filed_on <= today).toBe(true);
      expect(JSON.parse(c.hazard_ids_json)).toEqual(g.origins.filter((o) => o.origin_id === i.id).map((o) => o.hazard_id));
      const steps = g.events.filter((e) => e.entity_type === 'case' && e.entity_id === c.id).map((e) => e.action);
      expect(steps.length).toBe(c.version);
      expect(steps).toEqual(['file', 'decide', 'record_payment', 'close'].filter((s) => (s === 'file' ? true : s === 'decide' ? c.decided_on : s === 'record_payment' ? c.paid_on : c.closed_on)));
      if (c.decision === 'fine') {
        const d = JSON.parse(c.discretion_json!);
        expect(c.fine_fen! / 100).toBeGreaterThanOrEqual(Math.max(d.minYuan, 0.01));
        expect(c.fine_fen! / 100).toBeLessThanOrEqual(d.maxYuan);
      }
      if (c.status === 'executed' || (c.status === 'closed' && c.decision === 'fine')) expect(c.paid_fen).toBe(c.fine_fen);
    }
    for (const d of districts) {
      const mine = g.cases.filter((c) => c.district_code === d).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
      expect(mine.map((c) => c.code)).toEqual(mine.map((c, k) => `AJ-${d}-${c.filed_on.slice(0, 4)}-${String(k + 1 - mine.filter((x) => x.filed_on.slice(0, 4) < c.filed_on.slice(0, 4)).length).padStart(6, '0')}`));
    }
  });
});

describe.each(DIALECTS)('the demo city’s enforcement on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, DEMO);
  });
  afterAll(() => t?.close());

  it('puts every enforcement-inspection hazard of the ledger in an inspection, whose findings are its origins', async () => {
    const db = t.database.db;
    const hazards = await db.selectFrom('hazards').select(['id', 'enterprise_id', 'found_at', 'grade']).where('source', '=', 'enforcement_inspection').execute();
    const origins = await db.selectFrom('hazard_origins').selectAll().where('origin_type', '=', 'inspection').execute();
    const inspections = new Map((await db.selectFrom('inspections').selectAll().execute()).map((i) => [i.id, i]));
    const byHazard = new Map(origins.map((o) => [o.hazard_id, o]));
    expect(hazards.length).toBeGreaterThan(100);
    expect(origins).toHaveLength(hazards.length);
    for (const h of hazards) {
      const i = inspections.get(byHazard.get(h.id)!.origin_id)!;
      expect([i.enterprise_id, i.date, i.status]).toEqual([h.enterprise_id, shanghaiDay(h.found_at), 'finished']);
    }
    const grade = new Map(hazards.map((h) => [h.id, h.grade]));
    for (const i of inspections.values()) {
      const mine = origins.filter((o) => o.origin_id === i.id);
      expect([i.findings, i.major_findings]).toEqual([mine.length, mine.filter((o) => grade.get(o.hazard_id) === 'major').length]);
    }
    const people = await db.selectFrom('inspection_inspectors as ii').innerJoin('users as u', 'u.id', 'ii.user_id').innerJoin('inspections as i', 'i.id', 'ii.inspection_id').select(['i.id', 'i.district_code', 'u.district_code as inspector_district', 'u.role']).execute();
    expect(people.every((p) => p.role === 'inspector' && p.inspector_district === p.district_code)).toBe(true);
    expect(people).toHaveLength(inspections.size * 2);

    // The codes run 1…n per district and year, and the counters stand at n: a new record's code comes next.
    const counters = new Map((await db.selectFrom('record_code_counters').selectAll().execute()).map((c) => [`${c.kind}-${c.district_code}-${c.year}`, c.seq]));
    const codes = [...(await db.selectFrom('inspections').select('code').execute()), ...(await db.selectFrom('cases').select('code').execute())].map((r) => r.code);
    const seqs = new Map<string, number[]>();
    for (const c of codes) seqs.set(c.slice(0, -7), [...(seqs.get(c.slice(0, -7)) ?? []), Number(c.slice(-6))]);
    expect([...seqs.keys()].sort()).toEqual([...counters.keys()].sort());
    for (const [key, list] of seqs) expect(list.sort((a, b) => a - b), key).toEqual(Array.from({ length: counters.get(key)! }, (_, k) => k + 1));
  });

  it('keeps the bulletin’s figures equal to the rows, and the tallies to a rebuild', async () => {
    const db = t.database.db;
    const city = await t.login('city');
    const inspections = await db.selectFrom('inspections').selectAll().where('status', '=', 'finished').execute();
    const cases = await db.selectFrom('cases').selectAll().execute();
    const within = (d: string | null, q: string) => !!d && d >= quarterSpan(q).from && d <= quarterSpan(q).to;
    for (const quarter of ['2026Q4', '2026Q3', '2025Q2']) {
      const b = (await t.as(city, { method: 'GET', url: `/api/enforcement/stats?quarter=${quarter}` })).json();
      const done = inspections.filter((i) => within(i.date, quarter));
      const fines = cases.filter((c) => c.decision === 'fine' && within(c.decided_on, quarter));
      expect(done.length, quarter).toBeGreaterThan(0);
      expect(b.totals).toMatchObject({
        inspections: done.length,
        planned: done.filter((i) => PLANNED_TYPES.includes(i.type)).length,
        unannounced: done.filter((i) => i.unannounced).length,
        hazards: done.reduce((s, i) => s + i.findings, 0),
        majorHazards: done.reduce((s, i) => s + i.major_findings, 0),
        cases: cases.filter((c) => within(c.filed_on, quarter)).length,
        decisions: cases.filter((c) => within(c.decided_on, quarter)).length,
        fines: fines.length,
        fineYuan: fines.reduce((s, c) => s + Number(c.fine_fen), 0) / 100,
      });
    }
    const kept = await enforcementTallies(db);
    expect(await rolledBack(db, async (trx) => (await rebuildEnforcementTallies(trx, dialect), enforcementTallies(trx)))).toEqual(kept);
  });

  it('has two draws in Pudong whose replay matches, one published, their inspections staffed as drawn', async () => {
    const pudong = await t.login('pudong');
    const draws = (await t.as(pudong, { method: 'GET', url: '/api/draws' })).json();
    expect(draws.total).toBe(2);
    for (const d of draws.items) {
      const replay = (await t.as(pudong, { method: 'POST', url: `/api/draws/${d.id}/replay` })).json();
      expect(replay, d.title).toMatchObject({ matches: true, poolMatches: true, seedMatches: true, resultMatches: true });
      const detail = (await t.as(pudong, { method: 'GET', url: `/api/draws/${d.id}` })).json();
      expect(detail.assignments.every((a: { inspectionId: string | null; inspectorIds: string[] }) => a.inspectionId && a.inspectorIds.length === 2)).toBe(true);
      const listed = (await t.as(pudong, { method: 'GET', url: `/api/inspections?drawId=${d.id}` })).json();
      for (const a of detail.assignments) expect(listed.items.find((i: { id: string }) => i.id === a.inspectionId).inspectorIds).toEqual(a.inspectorIds);
    }
    expect(draws.items.filter((d: { published: boolean }) => d.published)).toHaveLength(1);
    const published = draws.items.find((d: { published: boolean }) => d.published);
    expect((await t.as(null, { method: 'GET', url: `/api/public/draws/${published.id}` })).statusCode).toBe(200);
    const random = (await t.as(pudong, { method: 'GET', url: '/api/inspections?type=random&pageSize=50' })).json().items.map((i: { status: string }) => i.status);
    expect(random.sort()).toEqual(['finished', 'planned', 'planned', 'planned', 'planned', 'planned']);
    expect((await verifyAuditChains(t.database.db)).every((c) => c.ok)).toBe(true);
  });

  it('gives inspector-pd work this week', async () => {
    const me = await t.login('inspector-pd');
    const mine = (await t.as(me, { method: 'GET', url: '/api/inspections?mine=true' })).json();
    expect(mine.total).toBeGreaterThan(0);
    const week = (await t.as(me, { method: 'GET', url: `/api/inspections?mine=true&status=planned&from=${today}&to=${periodOf('weekly', today).due}` })).json();
    expect(week.total).toBeGreaterThanOrEqual(3);
    const detail = (await t.as(me, { method: 'GET', url: `/api/inspections/${week.items[0].id}` })).json();
    expect(detail.allowedActions).toEqual(['start']);
  });

  it('has cases at every step citing 第一百零二条, with their events', async () => {
    const db = t.database.db;
    const cases = await db.selectFrom('cases').selectAll().execute();
    expect(new Set(cases.map((c) => c.status))).toEqual(new Set(['filed', 'decided', 'executed', 'closed']));
    const provision = await db.selectFrom('legal_provisions').select('id').where('article', '=', '第一百零二条').executeTakeFirstOrThrow();
    expect(cases.every((c) => JSON.parse(c.provision_ids_json)[0] === provision.id)).toBe(true);
    const events = await db.selectFrom('record_events').select(['entity_id']).where('entity_type', '=', 'case').execute();
    for (const c of cases) expect(events.filter((e) => e.entity_id === c.id).length).toBe(c.version);
    const city = await t.login('city');
    const listed = (await t.as(city, { method: 'GET', url: '/api/cases?status=executed&pageSize=1' })).json();
    expect(listed.total).toBe(cases.filter((c) => c.status === 'executed').length);
    const detail = (await t.as(city, { method: 'GET', url: `/api/cases/${listed.items[0].id}` })).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['file', 'decide', 'record_payment']);
    expect(detail.allowedActions).toContain('close');
  });

  it('has each district’s plans of 2024–2026, done as the inspections say, key units at least once', async () => {
    const db = t.database.db;
    const plans = await db.selectFrom('inspection_plans').selectAll().execute();
    const districts = await db.selectFrom('enterprises').select('district_code').distinct().execute();
    expect(plans).toHaveLength(districts.length * 3);
    const items = await db.selectFrom('inspection_plan_items as i').innerJoin('inspection_plans as p', 'p.id', 'i.plan_id').select(['i.enterprise_id', 'p.year', 'i.done', 'i.key_unit', 'i.planned']).execute();
    const done = await db.selectFrom('inspections').select(['enterprise_id', 'date', 'type']).where('status', '=', 'finished').where('type', 'in', [...PLANNED_TYPES]).execute();
    for (const it of items) expect(it.done).toBe(done.filter((d) => d.enterprise_id === it.enterprise_id && d.date.startsWith(String(it.year))).length);
    const keys = await db.selectFrom('key_units').selectAll().execute();
    expect(keys.length).toBeGreaterThanOrEqual(districts.length);
    for (const k of keys) expect(items.find((i) => i.enterprise_id === k.enterprise_id && i.year === k.year)).toMatchObject({ key_unit: 1, planned: expect.any(Number) });
    expect(items.filter((i) => i.key_unit).every((i) => i.year === 2026 && i.planned >= 1)).toBe(true);
    const pudong = await t.login('pudong');
    const plan = plans.find((p) => p.district_code === '310115' && p.year === 2026)!;
    const detail = (await t.as(pudong, { method: 'GET', url: `/api/inspection-plans/${plan.id}` })).json();
    expect(detail.done).toBeGreaterThan(0);
    expect(detail.keyUnits).toBe(keys.filter((k) => k.district_code === '310115').length);
  });

  it('loads the same again', async () => {
    const again = await createTestApp(dialect, DEMO);
    try {
      expect(await shape(again.database.db)).toEqual(await shape(t.database.db));
    } finally {
      await again.close();
    }
  });
});
