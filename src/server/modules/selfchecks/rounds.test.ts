import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';
import { makeRounds, periodOf } from './rounds';

describe('self-check periods (Shanghai dates)', () => {
  it('puts a date in its period of each frequency, due on the period’s last day', () => {
    expect(periodOf('daily', '2026-12-04')).toEqual({ key: '2026-12-04', start: '2026-12-04', due: '2026-12-04' });
    expect(periodOf('shift', '2026-12-04')).toEqual({ key: '2026-12-04', start: '2026-12-04', due: '2026-12-04' });
    // 2026-12-04 is a Friday: its week runs Monday 11-30 to Sunday 12-06; a Sunday stays in its week, a Monday starts one.
    expect(periodOf('weekly', '2026-12-04')).toEqual({ key: 'W2026-11-30', start: '2026-11-30', due: '2026-12-06' });
    expect(periodOf('weekly', '2026-12-06').key).toBe('W2026-11-30');
    expect(periodOf('weekly', '2026-12-07').key).toBe('W2026-12-07');
    expect(periodOf('monthly', '2026-02-10')).toEqual({ key: '2026-02', start: '2026-02-01', due: '2026-02-28' });
    expect(periodOf('monthly', '2024-02-10').due).toBe('2024-02-29');
    expect(periodOf('quarterly', '2026-12-04')).toEqual({ key: '2026-Q4', start: '2026-10-01', due: '2026-12-31' });
    expect(periodOf('quarterly', '2026-04-01')).toEqual({ key: '2026-Q2', start: '2026-04-01', due: '2026-06-30' });
    expect(periodOf('half_yearly', '2026-06-30')).toEqual({ key: '2026-H1', start: '2026-01-01', due: '2026-06-30' });
    expect(periodOf('half_yearly', '2026-07-01')).toEqual({ key: '2026-H2', start: '2026-07-01', due: '2026-12-31' });
  });
});

describe.each(DIALECTS)('self-check schedules and rounds on %s', (dialect) => {
  let t: TestApp;
  // Friday 2026-12-04, 23:30 in Shanghai (15:30 UTC).
  let clock = Date.parse('2026-12-04T15:30:00Z');
  const c = {} as Record<'city' | 'pudong' | 'huangpu' | 'lujiazui' | 'inspector-pd' | 'ent-pd' | 'ent-hp', string>;
  let checklistId: string;
  let entPd: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const u of Object.keys({ city: 1, pudong: 1, huangpu: 1, lujiazui: 1, 'inspector-pd': 1, 'ent-pd': 1, 'ent-hp': 1 }) as (keyof typeof c)[]) c[u] = await t.login(u);
    entPd = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-pd').executeTakeFirstOrThrow()).enterprise_id!;
    const made = await t.as(c.pudong, { method: 'POST', url: '/api/checklists', payload: { title: '浦东新区每日用电检查表', items: [{ text: '配电箱是否接地', category: '用电' }, { text: '电缆是否破损', category: '用电' }] } });
    checklistId = made.json().id;
  });
  afterAll(() => t?.close());

  const get = (who: string, url: string) => t.as(who, { method: 'GET', url });
  const post = (who: string, url: string, payload: unknown) => t.as(who, { method: 'POST', url, payload: payload as object });
  const count = async (scheduleId: string) => Number((await t.database.db.selectFrom('selfcheck_rounds').select((eb) => eb.fn.countAll<number>().as('n')).where('schedule_id', '=', scheduleId).executeTakeFirstOrThrow()).n);

  it('a schedule over a street makes one round per enterprise at once; the job run again makes none; the next day makes the next period’s', async () => {
    const db = t.database.db;
    const inStreet = await db.selectFrom('enterprises').select('id').where('street_code', '=', '310115005').execute();
    expect(inStreet.length).toBeGreaterThan(0);
    const r = await post(c.pudong, '/api/selfcheck-schedules', { checklistId, filter: { streetCode: '310115005' }, frequency: 'daily', startDate: '2026-12-01' });
    expect(r.statusCode, r.body).toBe(201);
    const schedule = r.json();
    expect(schedule).toMatchObject({ checklistTitle: '浦东新区每日用电检查表', frequency: 'daily', enterprises: inStreet.length });
    expect(await count(schedule.id)).toBe(inStreet.length);

    // Run twice (as two processes would): nothing more.
    expect(await makeRounds(t.database, new Date(clock))).toBe(0);
    expect(await Promise.all([makeRounds(t.database, new Date(clock)), makeRounds(t.database, new Date(clock))])).toEqual([0, 0]);
    const rounds = await db.selectFrom('selfcheck_rounds').select(['enterprise_id', 'period', 'due_date', 'checklist_version']).where('schedule_id', '=', schedule.id).execute();
    expect(new Set(rounds.map((x) => x.enterprise_id)).size).toBe(inStreet.length);
    expect(rounds.every((x) => x.period === '2026-12-04' && x.due_date === '2026-12-04' && x.checklist_version === 1)).toBe(true);

    // Past midnight in Shanghai (16:00 UTC): a new day, a new period; yesterday's rounds are overdue.
    clock = Date.parse('2026-12-04T16:30:00Z');
    expect(await makeRounds(t.database, new Date(clock))).toBe(inStreet.length);
    expect(await makeRounds(t.database, new Date(clock))).toBe(0);
    const overdue = (await get(c.lujiazui, `/api/selfchecks?status=overdue&pageSize=200`)).json();
    expect(overdue.total).toBe(inStreet.length);
    expect(overdue.items.every((x: { dueDate: string; status: string }) => x.dueDate === '2026-12-04' && x.status === 'overdue')).toBe(true);
    const due = (await get(c.lujiazui, `/api/selfchecks?status=due&pageSize=200`)).json();
    expect(due.total).toBe(inStreet.length);
    expect(due.items.every((x: { dueDate: string }) => x.dueDate === '2026-12-05')).toBe(true);
    // Totals of the list by status add up to all.
    const all = (await get(c.lujiazui, '/api/selfchecks?pageSize=1')).json();
    expect(all.total).toBe(overdue.total + due.total);
  });

  it('scope: an enterprise sees only its own rounds (another’s is 404); officers within their region; named enterprises out of scope are refused', async () => {
    const r = await post(c.pudong, '/api/selfcheck-schedules', { checklistId, enterpriseIds: [entPd], frequency: 'monthly', startDate: '2026-12-01' });
    expect(r.statusCode, r.body).toBe(201);
    const mine = (await get(c['ent-pd'], `/api/selfchecks?pageSize=200`)).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((x: { enterpriseId: string }) => x.enterpriseId === entPd)).toBe(true);
    const monthly = mine.items.find((x: { period: string }) => x.period === '2026-12');
    expect(monthly).toMatchObject({ dueDate: '2026-12-31', status: 'due' });

    const detail = await get(c['ent-pd'], `/api/selfchecks/${monthly.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().items.map((i: { text: string }) => i.text)).toEqual(['配电箱是否接地', '电缆是否破损']);
    expect((await get(c['ent-hp'], `/api/selfchecks/${monthly.id}`)).statusCode).toBe(404);
    expect((await get(c.huangpu, `/api/selfchecks/${monthly.id}`)).statusCode).toBe(404);
    expect((await get(c.pudong, `/api/selfchecks/${monthly.id}`)).statusCode).toBe(200);
    expect((await get(c['ent-hp'], '/api/selfchecks')).json().total).toBe(0);

    // Huangpu cannot schedule a Pudong enterprise: out of its scope, as if it did not exist.
    const entHp = (await t.database.db.selectFrom('users').select('enterprise_id').where('username', '=', 'ent-hp').executeTakeFirstOrThrow()).enterprise_id!;
    const outOfScope = await post(c.huangpu, '/api/selfcheck-schedules', { checklistId, enterpriseIds: [entPd, entHp], frequency: 'weekly', startDate: '2026-12-01' });
    expect(outOfScope.statusCode).toBe(404);
    expect((await post(c['inspector-pd'], '/api/selfcheck-schedules', { checklistId, enterpriseIds: [entPd], frequency: 'weekly', startDate: '2026-12-01' })).json().code).toBe('FORBIDDEN');
    const before = await t.database.db.selectFrom('selfcheck_schedules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await post(c.pudong, '/api/selfcheck-schedules', { checklistId, frequency: 'weekly', startDate: '2026-12-01' })).statusCode).toBe(400);
    expect((await post(c.pudong, '/api/selfcheck-schedules', { checklistId, filter: {}, frequency: 'hourly', startDate: '2026-12-01' })).statusCode).toBe(400);
    const after = await t.database.db.selectFrom('selfcheck_schedules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await get(c.pudong, '/api/selfcheck-schedules')).json().total).toBe(2);
  });

  it('refuses a schedule that chooses nothing, repeats one, names a street of another district, or lends an enterprise’s own checklist; a checklist for some industries goes to those only — and writes nothing', async () => {
    const db = t.database.db;
    const count = async () => Number((await db.selectFrom('selfcheck_schedules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const refusals: [string, unknown, number, string][] = [
      ['an empty filter', { checklistId, filter: {}, frequency: 'weekly', startDate: '2026-12-01' }, 400, 'VALIDATION_FAILED'],
      ['the same checklist at the same frequency again', { checklistId, enterpriseIds: [entPd], frequency: 'monthly', startDate: '2026-12-01' }, 409, 'DUPLICATE'],
      ['a street of another district', { checklistId, filter: { districtCode: '310115', streetCode: '310101002' }, frequency: 'weekly', startDate: '2026-12-01' }, 400, 'STREET_NOT_IN_DISTRICT'],
    ];
    for (const [why, body, status, code] of refusals) {
      const r = await post(c.pudong, '/api/selfcheck-schedules', body);
      expect(r.statusCode, `${why}: ${r.body}`).toBe(status);
      expect(r.json().code, why).toBe(code);
    }
    // An enterprise's own checklist: the district may see it, not hand it to others.
    const own = await post(c['ent-pd'], '/api/checklists', { title: '本企业叉车日检表', items: [{ text: '叉车制动是否有效' }] });
    expect(own.statusCode, own.body).toBe(201);
    const lent = await post(c.pudong, '/api/selfcheck-schedules', { checklistId: own.json().id, filter: { streetCode: '310115005' }, frequency: 'weekly', startDate: '2026-12-01' });
    expect(lent.statusCode, lent.body).toBe(400);
    expect(await count()).toBe(before);
    // The enterprise schedules it for itself.
    expect((await post(c['ent-pd'], '/api/selfcheck-schedules', { checklistId: own.json().id, frequency: 'weekly', startDate: '2026-12-01' })).statusCode).toBe(201);

    // A checklist for manufacturing (section C) goes to the manufacturers of the selection only.
    const forC = (await post(c.pudong, '/api/checklists', { title: '制造业粉尘防爆自查表', industryCodes: ['C'], items: [{ text: '除尘系统是否设置泄爆装置' }] })).json();
    const made = await post(c.pudong, '/api/selfcheck-schedules', { checklistId: forC.id, filter: { districtCode: '310115' }, frequency: 'monthly', startDate: '2026-12-01' });
    expect(made.statusCode, made.body).toBe(201);
    const manufacturers = await db.selectFrom('enterprises').innerJoin('industries as i', 'i.code', 'enterprises.industry_code').select('enterprises.id').where('enterprises.district_code', '=', '310115').where('i.parent_code', '=', 'C').execute();
    expect(manufacturers.length).toBeGreaterThan(0);
    expect(made.json().enterprises).toBe(manufacturers.length);
    const targets = await db.selectFrom('selfcheck_schedule_targets').select('enterprise_id').where('schedule_id', '=', made.json().id).execute();
    expect(targets.map((x) => x.enterprise_id).sort()).toEqual(manufacturers.map((x) => x.id).sort());
  });

  it('a schedule starting later makes no round before its start date', async () => {
    const r = await post(c.pudong, '/api/selfcheck-schedules', { checklistId, enterpriseIds: [entPd], frequency: 'quarterly', startDate: '2027-01-01' });
    expect(r.statusCode).toBe(201);
    expect(await count(r.json().id)).toBe(0);
    clock = Date.parse('2027-01-01T00:30:00Z'); // 08:30 on 1 January in Shanghai
    expect(await makeRounds(t.database, new Date(clock), r.json().id)).toBe(1);
    const round = await t.database.db.selectFrom('selfcheck_rounds').select(['period', 'due_date']).where('schedule_id', '=', r.json().id).executeTakeFirstOrThrow();
    expect(round).toEqual({ period: '2027-Q1', due_date: '2027-03-31' });
  });
});
