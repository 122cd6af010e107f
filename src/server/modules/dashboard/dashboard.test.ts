import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureFilter, type DashboardView, type Figure } from '../../../shared/contracts/dashboard';
import { DIALECTS, PNG_1x1, createTestApp, multipart, tallySnapshot, type TestApp } from '../../test/harness';
import { rebuildTallies } from './tallies';

const NOW = Date.parse('2026-11-20T03:00:00Z'); // 11:00 in Shanghai

const snapshot = (t: TestApp) => tallySnapshot(t.database.db);

/** Open at the end of a month as the ledger now knows it: found before its end, not voided, not closed before its end. */
async function openAtMonthEnd(t: TestApp, districtCode: string | null, nextMonthStartIso: string, grade?: 'major') {
  const nextMonthStart = Date.parse(nextMonthStartIso);
  let q = t.database.db
    .selectFrom('hazards')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '!=', 'voided')
    .where('found_at', '<', nextMonthStart)
    .where((eb) => eb.or([eb('status', '!=', 'closed'), eb('closed_at', '>=', nextMonthStart)]));
  if (districtCode) q = q.where('district_code', '=', districtCode);
  if (grade) q = q.where('grade', '=', grade);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

describe.each(DIALECTS)('the cockpit on %s', (dialect) => {
  let t: TestApp;
  let clock = NOW;
  const c = {} as Record<'city' | 'pudong' | 'huangpu' | 'lujiazui' | 'yjj' | 'ent-pd' | 'expert-1', string>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 300, demoHazards: 2500, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const u of ['city', 'pudong', 'huangpu', 'lujiazui', 'yjj', 'ent-pd', 'expert-1'] as const) c[u] = await t.login(u);
  }, 120_000);
  afterAll(() => t?.close());

  const get = async (cookie: string, url: string) => {
    const res = await t.as(cookie, { method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };
  const ledgerTotal = async (cookie: string, q: Record<string, string>) => {
    const res = await get(cookie, `/api/hazards?${new URLSearchParams({ ...q, pageSize: '1' })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.total as number;
  };

  /** Every linked figure of a view equals the ledger's total for the figure's filter. */
  async function expectFiguresEqualLedger(cookie: string, v: DashboardView, busy = true) {
    const figures: [Figure, number][] = [
      ['open', v.totals.open],
      ['openMajor', v.totals.openMajor],
      ['overdue', v.totals.overdue],
      ['overdueMajor', v.totals.overdueMajor],
      ['closedThisMonth', v.totals.closedThisMonth],
      ['foundThisMonth', v.totals.foundThisMonth],
      ['supervisedCity', v.supervision.city.open],
      ['supervisedDistrict', v.supervision.district.open],
      ['supervisedCityOverdue', v.supervision.city.overdue],
      ['supervisedDistrictOverdue', v.supervision.district.overdue],
      ...v.stock.groups.map((g): [Figure, number] => [g.key, g.open]),
    ];
    for (const [figure, value] of figures) expect([figure, value]).toEqual([figure, await ledgerTotal(cookie, figureFilter(figure, v.base, v.month))]);
    // Trend months: found and closed per month.
    for (const i of [v.trend.months.length - 1, v.trend.months.length - 2, v.trend.months.length - 7]) {
      const m = v.trend.months[i];
      const last = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).toISOString().slice(0, 10);
      expect([m, 'found', v.trend.found[i]]).toEqual([m, 'found', await ledgerTotal(cookie, { ...figureFilter('foundThisMonth', v.base, m) })]);
      expect([m, 'closed', v.trend.closed[i]]).toEqual([m, 'closed', await ledgerTotal(cookie, { ...v.base, status: 'closed', closedFrom: `${m}-01`, closedTo: last })]);
    }
    // A large view has every kind of figure, so the comparisons above are not all of zeros.
    if (busy) {
      const figures = { open: v.totals.open, overdue: v.totals.overdue, openMajor: v.totals.openMajor, closedThisMonth: v.totals.closedThisMonth, foundThisMonth: v.totals.foundThisMonth, supervisedDistrict: v.supervision.district.open };
      for (const [name, n] of Object.entries(figures)) expect(n, name).toBeGreaterThan(0);
    }
  }

  it('city view: totals, districts and trends equal the ledger for the same filters', async () => {
    const { status, body } = await get(c.city, '/api/dashboard/city');
    expect(status).toBe(200);
    const v = body as DashboardView;
    expect(v.level).toBe('city');
    expect(v.byDistrict).toHaveLength(16);
    await expectFiguresEqualLedger(c.city, v);
    const total = await ledgerTotal(c.city, { status: 'reported,rectifying,pending_acceptance' });
    expect(v.byDistrict!.reduce((s, d) => s + d.open, 0)).toBe(total);
    for (const d of v.byDistrict!.filter((x) => x.open > 0).slice(0, 4)) {
      expect(d.open).toBe(await ledgerTotal(c.city, figureFilter('open', { districtCode: d.code }, v.month)));
      expect(d.openMajor).toBe(await ledgerTotal(c.city, figureFilter('openMajor', { districtCode: d.code }, v.month)));
      expect(d.overdue).toBe(await ledgerTotal(c.city, figureFilter('overdue', { districtCode: d.code }, v.month)));
    }
    // Each source, section and grade adds up to the whole.
    expect(v.bySource!.reduce((s, x) => s + x.open, 0)).toBe(v.totals.open);
    expect(v.bySection!.reduce((s, x) => s + x.open, 0)).toBe(v.totals.open);
    expect(v.byGrade.reduce((s, x) => s + x.open, 0)).toBe(v.totals.open);
    expect(v.stock.groups.reduce((s, g) => s + g.open, 0)).toBe(v.totals.open);
    expect(v.stock.groups.map((g) => g.series[g.series.length - 1])).toEqual(v.stock.groups.map((g) => g.open));
    // Last month's end and each stock line's earlier points, against the rows themselves.
    const monthStart = (m: string) => new Date(`${m}-01T00:00:00+08:00`).toISOString();
    expect(v.lastMonth.open).toBe(await openAtMonthEnd(t, null, monthStart(v.month)));
    expect(v.lastMonth.openMajor).toBe(await openAtMonthEnd(t, null, monthStart(v.month), 'major'));
    const i = v.stock.months.length - 7;
    const earlier = v.stock.groups.reduce((s, g) => s + g.series[i], 0);
    expect(earlier).toBe(await openAtMonthEnd(t, null, monthStart(v.stock.months[i + 1])));
    expect(v.rates.closureRate).toBeGreaterThan(0);
    expect(v.rates.medianDaysToClose).toBeGreaterThanOrEqual(0);
  });

  it('district view (Pudong): totals and streets equal the ledger; worst enterprises come from its own rows', async () => {
    const { status, body } = await get(c.pudong, '/api/dashboard/districts/310115');
    expect(status).toBe(200);
    const v = body as DashboardView;
    expect(v).toMatchObject({ level: 'district', name: '浦东新区', base: { districtCode: '310115' } });
    await expectFiguresEqualLedger(c.pudong, v);
    expect(v.byStreet!.length).toBeGreaterThan(20);
    for (const s of v.byStreet!.filter((x) => x.open > 0).slice(0, 3)) {
      expect(s.open).toBe(await ledgerTotal(c.pudong, figureFilter('open', { districtCode: '310115', streetCode: s.code }, v.month)));
      expect(s.overdue).toBe(await ledgerTotal(c.pudong, figureFilter('overdue', { districtCode: '310115', streetCode: s.code }, v.month)));
    }
    const worst = v.worstEnterprises!;
    expect(worst.length).toBeGreaterThan(0);
    expect(worst[0].open).toBe(await ledgerTotal(c.pudong, figureFilter('open', { districtCode: '310115', enterpriseId: worst[0].id }, v.month)));
    expect(worst[0].overdue).toBe(await ledgerTotal(c.pudong, figureFilter('overdue', { districtCode: '310115', enterpriseId: worst[0].id }, v.month)));
    // The city drilling down sees the same figures.
    expect((await get(c.city, '/api/dashboard/districts/310115')).body.totals).toEqual(v.totals);
  });

  it('street and department views equal the ledger for their filters', async () => {
    const street = (await get(c.lujiazui, '/api/dashboard/districts/310115')).body as DashboardView;
    expect(street.level).toBe('street');
    expect(street.base.streetCode).toMatch(/^310115\d{3}$/);
    await expectFiguresEqualLedger(c.lujiazui, street, false);
    const dept = (await t.database.db.selectFrom('users').select('department_id').where('username', '=', 'yjj').executeTakeFirstOrThrow()).department_id!;
    const { status, body } = await get(c.yjj, `/api/dashboard/departments/${dept}`);
    expect(status).toBe(200);
    await expectFiguresEqualLedger(c.yjj, body as DashboardView, false);
    expect((await get(c.city, `/api/dashboard/departments/${dept}`)).body.totals).toEqual(body.totals);
  });

  it('enterprise view: its own open, overdue and upcoming deadlines', async () => {
    const ent = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    const { status, body } = await get(c['ent-pd'], `/api/dashboard/enterprises/${ent}`);
    expect(status).toBe(200);
    expect(body.totals.open).toBe(await ledgerTotal(c['ent-pd'], figureFilter('open', { enterpriseId: ent }, '2026-11')));
    expect(body.totals.overdue).toBe(await ledgerTotal(c['ent-pd'], figureFilter('overdue', { enterpriseId: ent }, '2026-11')));
    expect(body.upcoming.length).toBe(Math.min(20, body.totals.open));
    // An official sees the enterprise's hazards their scope allows, as the ledger filtered to it does.
    const asDistrict = await get(c.pudong, `/api/dashboard/enterprises/${ent}`);
    expect(asDistrict.status).toBe(200);
    expect(asDistrict.body.totals.open).toBe(await ledgerTotal(c.pudong, figureFilter('open', { enterpriseId: ent }, '2026-11')));
    expect(asDistrict.body.totals.found).toBe(await ledgerTotal(c.pudong, { enterpriseId: ent, status: 'reported,rectifying,pending_acceptance,closed' }));
  });

  it('scope: other districts, the city, other enterprises and departments answer 404', async () => {
    expect((await get(c.pudong, '/api/dashboard/city')).status).toBe(404);
    expect((await get(c.pudong, '/api/dashboard/districts/310101')).status).toBe(404);
    expect((await get(c.lujiazui, '/api/dashboard/districts/310101')).status).toBe(404);
    expect((await get(c['ent-pd'], '/api/dashboard/city')).status).toBe(404);
    expect((await get(c['ent-pd'], '/api/dashboard/districts/310115')).status).toBe(404);
    expect((await get(c['expert-1'], '/api/dashboard/city')).status).toBe(404);
    expect((await get(c.yjj, '/api/dashboard/districts/310115')).status).toBe(404);
    expect((await get(c.city, '/api/dashboard/districts/999999')).status).toBe(404);
    expect((await get(c.city, '/api/dashboard/districts/abc')).status).toBe(404);
    const hpEnt = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-hp' as string).executeTakeFirstOrThrow()).enterprise_id!;
    expect((await get(c['ent-pd'], `/api/dashboard/enterprises/${hpEnt}`)).status).toBe(404);
    expect((await get(c.pudong, `/api/dashboard/enterprises/${hpEnt}`)).status).toBe(404);
    const own = (await t.database.db.selectFrom('users').select('department_id').where('username', '=', 'yjj').executeTakeFirstOrThrow()).department_id!;
    const other = await t.database.db.selectFrom('departments').select('id').where('id', '!=', own).executeTakeFirstOrThrow();
    expect((await get(c.yjj, `/api/dashboard/departments/${other.id}`)).status).toBe(404);
  });

  it('each hazard step moves the tallies in its own transaction; the incremental tallies equal a rebuild', async () => {
    const before = await get(c.pudong, '/api/dashboard/districts/310115');
    const ent = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    const clause = (await t.database.db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).executeTakeFirstOrThrow()).id;
    const report = async (grade: 'general' | 'major') => {
      const res = await t.as(c['ent-pd'], {
        method: 'POST',
        url: '/api/hazards',
        payload: { enterpriseId: ent, description: `驾驶舱测试隐患 ${grade}`, location: '一号库房', grade, source: 'self_check', foundAt: new Date(clock - 3_600_000).toISOString(), clauseIds: grade === 'major' ? [clause] : [] },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const act = async (cookie: string, h: { id: string; version: number }, action: string, body: Record<string, unknown> = {}) => {
      const res = await t.as(cookie, { method: 'POST', url: `/api/hazards/${h.id}/actions/${action}`, payload: { version: h.version, ...body } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const major = await report('major');
    let v = (await get(c.pudong, '/api/dashboard/districts/310115')).body as DashboardView;
    expect(v.totals.open - before.body.totals.open).toBe(1);
    expect(v.totals.openMajor - before.body.totals.openMajor).toBe(1);
    expect(v.totals.foundThisMonth - before.body.totals.foundThisMonth).toBe(1);
    // Last month's figure is history: a hazard reported now does not change it.
    expect(v.lastMonth).toEqual(before.body.lastMonth);

    const photo = async (by = c['ent-pd']) => {
      const mp = multipart('file', 'photo.png', PNG_1x1, 'image/png');
      return (await t.as(by, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json().id as string;
    };
    const spot = await report('general');
    await act(c['ent-pd'], spot, 'fix_on_spot', { note: '当场整改', attachmentIds: [await photo()] });
    let h = await act(c['ent-pd'], major, 'assign', { deadline: '2026-11-25', responsibleName: '张工', plan: { measures: '停用整改', fundsFen: 100000, responsibleName: '张工', deadline: '2026-11-25', contingencyPlan: '隔离' } });
    h = await act(c.pudong, h, 'supervise', { level: 'district', comment: '区级挂牌' });
    v = (await get(c.pudong, '/api/dashboard/districts/310115')).body as DashboardView;
    expect(v.totals.closedThisMonth - before.body.totals.closedThisMonth).toBe(1);
    expect(v.supervision.district.open - before.body.supervision.district.open).toBe(1);
    // Time passes the deadline: overdue without any write.
    clock = Date.parse('2026-11-27T03:00:00Z');
    v = (await get(c.pudong, '/api/dashboard/districts/310115')).body as DashboardView;
    await expectFiguresEqualLedger(c.pudong, v);

    // A step that fails after the tallies were written (the audit insert refuses) changes nothing.
    const tallies = await snapshot(t);
    if (dialect === 'sqlite') {
      await sql`create temp trigger refuse_audit before insert on main.audit_log when new.action = 'hazard.submit' begin select raise(abort, 'refused for the test'); end`.execute(t.database.db);
    } else {
      await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin if new.action = 'hazard.submit' then raise exception 'refused for the test'; end if; return new; end $$`.execute(t.database.db);
      await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(t.database.db);
    }
    const failed = await t.as(c['ent-pd'], { method: 'POST', url: `/api/hazards/${h.id}/actions/submit`, payload: { version: h.version, note: '已整改', attachmentIds: [await photo()] } });
    expect(failed.statusCode).toBe(500);
    if (dialect === 'sqlite') await sql`drop trigger refuse_audit`.execute(t.database.db);
    else await sql`drop trigger refuse_audit on audit_log; drop function refuse_audit()`.execute(t.database.db);
    expect(await snapshot(t)).toEqual(tallies);
    expect((await get(c.pudong, `/api/hazards/${h.id}`)).body.status).toBe('rectifying');

    h = await act(c['ent-pd'], h, 'submit', { note: '已整改', attachmentIds: [await photo()] });
    await act(c.pudong, h, 'accept', { note: '验收合格', attachmentIds: [await photo(c.pudong)] });
    const voidMe = await report('general');
    await act(c.pudong, voidMe, 'void', { reason: '重复登记' });
    const incremental = await snapshot(t);
    await t.database.db.transaction().execute((trx) => rebuildTallies(trx, dialect, new Date(clock)));
    expect(await snapshot(t)).toEqual(incremental);
    expect(Object.keys(incremental.counts).length).toBeGreaterThan(100);
    expect(incremental.enterprises.length).toBeGreaterThan(10);
  });

  it('overdue at the edges of a day, a month and a year equals the ledger (kept by deadline day, month and year)', async () => {
    const ent = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    // Deadlines on each side of a year's and a month's end, set while they were ahead.
    clock = Date.parse('2025-12-20T03:00:00Z');
    for (const deadline of ['2025-12-31', '2026-01-01', '2026-02-28', '2026-03-01']) {
      const made = await t.as(c['ent-pd'], { method: 'POST', url: '/api/hazards', payload: { enterpriseId: ent, description: `期限边界 ${deadline}`, location: '二号车间', grade: 'general', source: 'self_check', foundAt: new Date(clock - 3_600_000).toISOString(), clauseIds: [] } });
      expect(made.statusCode, made.body).toBe(201);
      const res = await t.as(c['ent-pd'], { method: 'POST', url: `/api/hazards/${made.json().id}/actions/assign`, payload: { version: made.json().version, deadline, responsibleName: '李工' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const atShanghai = (local: string) => Date.parse(`${local}+08:00`);
    const seen: number[] = [];
    for (const instant of ['2025-12-31T23:59:59', '2026-01-01T00:00:00', '2026-01-02T08:00:00', '2026-02-28T23:59:59', '2026-03-01T00:00:00', '2026-03-02T00:00:00', '2026-11-20T11:00:00']) {
      clock = atShanghai(instant);
      const city = (await get(c.city, '/api/dashboard/city')).body as DashboardView;
      const expected = async (figure: Figure, b: DashboardView['base'] = {}) => ledgerTotal(c.city, figureFilter(figure, b, city.month));
      expect([instant, city.totals.overdue, city.totals.overdueMajor, city.supervision.city.overdue, city.supervision.district.overdue]).toEqual([
        instant,
        await expected('overdue'),
        await expected('overdueMajor'),
        await expected('supervisedCityOverdue'),
        await expected('supervisedDistrictOverdue'),
      ]);
      const pd = city.byDistrict!.find((d) => d.code === '310115')!;
      expect([instant, pd.overdue, pd.overdueMajor]).toEqual([instant, await expected('overdue', { districtCode: '310115' }), await expected('overdueMajor', { districtCode: '310115' })]);
      const district = (await get(c.pudong, '/api/dashboard/districts/310115')).body as DashboardView;
      expect([instant, district.totals.overdue]).toEqual([instant, pd.overdue]);
      expect([instant, district.byStreet!.reduce((n, s) => n + s.overdue, 0)]).toEqual([instant, pd.overdue]);
      seen.push(city.totals.overdue);
    }
    // Each boundary deadline turned overdue on its next day, and not before.
    expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(1);
    expect(seen[2] - seen[1]).toBeGreaterThanOrEqual(1);
    expect(seen[4] - seen[3]).toBeGreaterThanOrEqual(1);
    expect(seen[5] - seen[4]).toBeGreaterThanOrEqual(1);
    clock = NOW;
  });
});
