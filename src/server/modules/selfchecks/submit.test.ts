import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, PNG_1x1, createTestApp, multipart, tallySnapshot, type TestApp } from '../../test/harness';
import { departmentDivisions } from '../../auth/actor';
import { rebuildTallies } from '../dashboard/tallies';
import { makeRounds } from './rounds';
import { runSelfCheckReminders } from './reminders';
import { rebuildSelfCheckTallies } from './tallies';

/** Self-check submission, stats and signals (#14), on both databases, with a clock that moves through three months. */
describe.each(DIALECTS)('self-check submission, stats and signals on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-10-05T02:00:00Z'); // 10:00 on 5 October in Shanghai
  const c = {} as Record<'city' | 'pudong' | 'huangpu' | 'lujiazui' | 'yjj' | 'ent-pd' | 'ent-hp', string>;
  let entPd: string;
  let others: string[];
  let clauseId: string;
  let checklist: { id: string; items: { id: string; clauseId: string | null }[] };
  let principal: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const u of Object.keys({ city: 1, pudong: 1, huangpu: 1, lujiazui: 1, yjj: 1, 'ent-pd': 1, 'ent-hp': 1 }) as (keyof typeof c)[]) c[u] = await t.login(u);
    const db = t.database.db;
    const ent = await db.selectFrom('users').innerJoin('enterprises as e', 'e.id', 'users.enterprise_id').select(['e.id', 'e.principal_name']).where('username', '=', 'ent-pd').executeTakeFirstOrThrow();
    entPd = ent.id;
    principal = ent.principal_name;
    others = (await db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('id', '!=', entPd).orderBy('id').limit(5).execute()).map((e) => e.id);
    expect(others).toHaveLength(5);
    clauseId = (await db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).orderBy('sort').executeTakeFirstOrThrow()).id;
    const made = await post(c.pudong, '/api/checklists', {
      title: '浦东新区月度综合自查表',
      items: [
        { text: '粉尘爆炸危险场所是否按规定设置泄爆装置', category: '粉尘防爆', clauseId },
        { text: '疏散通道是否畅通', category: '消防' },
        { text: '配电箱是否接地', category: '用电' },
      ],
    });
    expect(made.statusCode, made.body).toBe(201);
    checklist = made.json();
  });
  afterAll(() => t?.close());

  const get = (who: string, url: string) => t.as(who, { method: 'GET', url });
  const post = (who: string, url: string, payload: unknown) => t.as(who, { method: 'POST', url, payload: payload as object });
  const roundOf = async (who: string, enterpriseId: string, status = 'due') => (await get(who, `/api/selfchecks?enterpriseId=${enterpriseId}&status=${status}&pageSize=50`)).json().items;
  const item = (k: number) => checklist.items[k].id;
  const allOk = () => checklist.items.map((i) => ({ itemId: i.id, result: 'ok' }));

  /** Everything a submission could write, counted. */
  const written = async () => {
    const db = t.database.db;
    const n = async (table: 'hazards' | 'hazard_events' | 'audit_log' | 'selfcheck_results' | 'selfcheck_round_events' | 'hazard_origins' | 'notifications') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const tallies = await db.selectFrom('selfcheck_tallies').selectAll().orderBy('district_code').orderBy('month').orderBy('street_code').orderBy('industry_code').execute();
    const rounds = await db.selectFrom('selfcheck_rounds').select(['id', 'version', 'submitted_at', 'findings']).orderBy('id').execute();
    return { hazards: await n('hazards'), events: await n('hazard_events'), audit: await n('audit_log'), results: await n('selfcheck_results'), roundEvents: await n('selfcheck_round_events'), origins: await n('hazard_origins'), notices: await n('notifications'), tallies, rounds, hazardTallies: await tallySnapshot(db) };
  };

  it('a schedule makes the month’s rounds; every bad submission answers a clear 4xx and writes nothing; a round without findings needs a confirmation; a round is submitted once', async () => {
    const s = await post(c.pudong, '/api/selfcheck-schedules', { checklistId: checklist.id, enterpriseIds: [entPd, ...others], frequency: 'monthly', startDate: '2026-10-01' });
    expect(s.statusCode, s.body).toBe(201);
    const [oct] = await roundOf(c['ent-pd'], entPd);
    expect(oct).toMatchObject({ period: '2026-10', dueDate: '2026-10-31', status: 'due', version: 1 });
    const detail = (await get(c['ent-pd'], `/api/selfchecks/${oct.id}`)).json();
    expect(detail).toMatchObject({ maySubmit: true, findings: null, results: [], events: [] });
    expect(detail.signers[0]).toEqual({ name: principal, role: '主要负责人' });

    const before = await written();
    const bad: [string, string, unknown, number, string][] = [
      ['stale version', c['ent-pd'], { version: 7, results: allOk(), signedBy: principal, confirmNoFindings: true }, 409, 'VERSION_CONFLICT'],
      ['an item not on the checklist', c['ent-pd'], { version: 1, results: [...allOk(), { itemId: '019a0000-0000-7000-8000-000000000000', result: 'ok' }], signedBy: principal, confirmNoFindings: true }, 400, 'VALIDATION_FAILED'],
      ['an item left out', c['ent-pd'], { version: 1, results: allOk().slice(1), signedBy: principal, confirmNoFindings: true }, 400, 'VALIDATION_FAILED'],
      ['an item twice', c['ent-pd'], { version: 1, results: [...allOk(), allOk()[0]], signedBy: principal, confirmNoFindings: true }, 400, 'VALIDATION_FAILED'],
      ['a hazard without its description', c['ent-pd'], { version: 1, results: [{ itemId: item(0), result: 'hazard', hazard: { grade: 'general' } }, ...allOk().slice(1)], signedBy: principal }, 400, 'VALIDATION_FAILED'],
      ['a hazard found but not described', c['ent-pd'], { version: 1, results: [{ itemId: item(0), result: 'hazard' }, ...allOk().slice(1)], signedBy: principal }, 400, 'VALIDATION_FAILED'],
      ['a signer not recorded on the enterprise', c['ent-pd'], { version: 1, results: allOk(), signedBy: '张三丰', confirmNoFindings: true }, 400, 'VALIDATION_FAILED'],
      ['no findings, not confirmed', c['ent-pd'], { version: 1, results: allOk(), signedBy: principal }, 400, 'VALIDATION_FAILED'],
      ['a photo on an item found in order', c['ent-pd'], { version: 1, results: [{ ...allOk()[0], attachmentIds: ['019a0000-0000-7000-8000-000000000001'] }, ...allOk().slice(1)], signedBy: principal, confirmNoFindings: true }, 400, 'VALIDATION_FAILED'],
      ['fixed on the spot without evidence', c['ent-pd'], { version: 1, results: [{ itemId: item(1), result: 'hazard', hazard: { description: '疏散通道堆放杂物', grade: 'general', fixedOnSpot: true } }, allOk()[0], allOk()[2]], signedBy: principal }, 400, 'VALIDATION_FAILED'],
      // The first hazard is valid and is reported inside the transaction before the second fails: nothing of it may stay.
      [
        'one valid hazard and one major hazard citing no clause',
        c['ent-pd'],
        { version: 1, results: [{ itemId: item(0), result: 'hazard', hazard: { description: '泄爆装置缺失', grade: 'major' } }, { itemId: item(1), result: 'hazard', hazard: { description: '疏散通道堆放杂物', grade: 'major' } }, allOk()[2]], signedBy: principal },
        400,
        'CLAUSE_REQUIRED',
      ],
      ['an officer', c.pudong, { version: 1, results: allOk(), signedBy: principal, confirmNoFindings: true }, 403, 'FORBIDDEN'],
      ['another district', c.huangpu, { version: 1, results: allOk(), signedBy: principal, confirmNoFindings: true }, 404, 'NOT_FOUND'],
      ['another enterprise', c['ent-hp'], { version: 1, results: allOk(), signedBy: principal, confirmNoFindings: true }, 404, 'NOT_FOUND'],
    ];
    for (const [why, who, body, status, code] of bad) {
      const r = await post(who, `/api/selfchecks/${oct.id}/submit`, body);
      expect(r.statusCode, `${why}: ${r.body}`).toBe(status);
      expect(r.json().code, why).toBe(code);
      expect(r.headers['content-type'], why).toContain('application/problem+json');
    }
    expect(await written()).toEqual(before);
    // The messages name what is wrong, in Chinese first.
    const left = (await post(c['ent-pd'], `/api/selfchecks/${oct.id}/submit`, { version: 1, results: allOk().slice(1), signedBy: principal, confirmNoFindings: true })).json();
    expect(left.detail ?? left.title).toMatch(/还有 1 项未检查/);
    expect((await get(c.huangpu, `/api/selfchecks/${oct.id}`)).statusCode).toBe(404);

    // 零隐患自查, confirmed.
    const ok = await post(c['ent-pd'], `/api/selfchecks/${oct.id}/submit`, { version: 1, results: [...allOk().slice(0, 2), { itemId: item(2), result: 'na', note: '本月无新增配电设备' }], signedBy: principal, confirmNoFindings: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'done', version: 2, findings: 0, hazardIds: [], signedByName: principal, signedByRole: '主要负责人', maySubmit: false });
    expect(ok.json().events).toMatchObject([{ seq: 1, action: 'submit', comment: '零隐患自查' }]);
    expect(ok.json().results.map((r: { result: string }) => r.result)).toEqual(['ok', 'ok', 'na']);
    const again = await post(c['ent-pd'], `/api/selfchecks/${oct.id}/submit`, { version: 2, results: allOk(), signedBy: principal, confirmNoFindings: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_SUBMITTED');
    const audited = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', oct.id).execute();
    expect(audited).toEqual([{ action: 'selfcheck.submitted' }]);
  });

  it('a round with two hazards puts exactly two on the ledger, linked to the round and item, in the same transaction as the ledger’s and the cockpit’s figures', async () => {
    clock = Date.parse('2026-11-03T02:00:00Z');
    expect(await makeRounds(t.database, new Date(clock))).toBe(6);
    const [nov] = await roundOf(c['ent-pd'], entPd);
    expect(nov).toMatchObject({ period: '2026-11', dueDate: '2026-11-30' });
    const ledgerBefore = (await get(c.pudong, `/api/hazards?enterpriseId=${entPd}&pageSize=1`)).json().total;
    const cockpitBefore = (await get(c.pudong, '/api/dashboard/districts/310115')).json().totals;
    const photo = multipart('file', 'after.png', PNG_1x1, 'image/png');
    const file = (await t.as(c['ent-pd'], { method: 'POST', url: '/api/files', payload: photo.payload, headers: photo.headers })).json();

    const r = await post(c['ent-pd'], `/api/selfchecks/${nov.id}/submit`, {
      version: nov.version,
      results: [
        { itemId: item(0), result: 'hazard', hazard: { description: '除尘系统未设置泄爆装置', grade: 'major', location: '二号车间' } },
        { itemId: item(1), result: 'hazard', note: '当场清理', attachmentIds: [file.id], hazard: { description: '疏散通道堆放纸箱', grade: 'general', fixedOnSpot: true } },
        { itemId: item(2), result: 'ok' },
      ],
      signedBy: principal,
    });
    expect(r.statusCode, r.body).toBe(200);
    const round = r.json();
    expect(round).toMatchObject({ status: 'done', findings: 2 });
    expect(round.hazardIds).toHaveLength(2);

    const db = t.database.db;
    const origins = await db.selectFrom('hazard_origins').select(['hazard_id', 'origin_type', 'origin_id', 'origin_item_id']).where('origin_id', '=', nov.id).orderBy('origin_item_id').execute();
    expect(origins.map((o) => [o.origin_type, o.origin_item_id]).sort()).toEqual([['selfcheck', item(0)], ['selfcheck', item(1)]].sort());
    expect(origins.map((o) => o.hazard_id).sort()).toEqual([...round.hazardIds].sort());
    const major = (await get(c.pudong, `/api/hazards/${round.results[0].hazardId}`)).json();
    expect(major).toMatchObject({ source: 'self_check', grade: 'major', status: 'reported', location: '二号车间', clauseIds: [clauseId], enterpriseId: entPd });
    const spot = (await get(c.pudong, `/api/hazards/${round.results[1].hazardId}`)).json();
    expect(spot).toMatchObject({ source: 'self_check', grade: 'general', status: 'closed' });
    expect(spot.events.map((e: { action: string }) => e.action)).toEqual(['report', 'fix_on_spot']);
    expect(spot.events[1].attachments.map((a: { id: string }) => a.id)).toEqual([file.id]);

    // Ledger and cockpit moved together, by exactly the two hazards.
    expect((await get(c.pudong, `/api/hazards?enterpriseId=${entPd}&pageSize=1`)).json().total).toBe(ledgerBefore + 2);
    const cockpit = (await get(c.pudong, '/api/dashboard/districts/310115')).json().totals;
    expect(cockpit.open - cockpitBefore.open).toBe(1);
    expect(cockpit.openMajor - cockpitBefore.openMajor).toBe(1);
    expect(cockpit.foundThisMonth - cockpitBefore.foundThisMonth).toBe(2);
    const kept = await tallySnapshot(db);
    const rebuilt = await db.transaction().execute(async (trx) => {
      await rebuildTallies(trx, dialect, new Date(clock));
      const snap = await tallySnapshot(trx);
      throw Object.assign(new Error('rollback'), { snap });
    }).catch((e: { snap?: unknown }) => e.snap);
    expect(kept).toEqual(rebuilt);

    // Annotated, never changed.
    const note = await post(c.pudong, `/api/selfchecks/${nov.id}/annotations`, { comment: '重大隐患请于本周内报送整改方案' });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({ version: round.version, findings: 2, results: round.results });
    expect(note.json().events.map((e: { action: string; comment: string | null }) => [e.action, e.comment])).toEqual([['submit', null], ['annotate', '重大隐患请于本周内报送整改方案']]);
    expect((await post(c.huangpu, `/api/selfchecks/${nov.id}/annotations`, { comment: '越权批注' })).statusCode).toBe(404);
    const [open] = await roundOf(c.pudong, others[0]);
    expect((await post(c.pudong, `/api/selfchecks/${open.id}/annotations`, { comment: '尚未提交' })).statusCode).toBe(400);
  });

  it('the stats equal counts of the rounds, for every grouping and scope; the tallies equal a rebuild', async () => {
    // A weekly round left undone until after its due date, then submitted late.
    const w = await post(c['ent-pd'], '/api/selfcheck-schedules', { checklistId: checklist.id, frequency: 'weekly', startDate: '2026-11-02' });
    expect(w.statusCode, w.body).toBe(201);
    clock = Date.parse('2026-12-04T15:30:00Z'); // 23:30 on Friday 4 December in Shanghai
    await makeRounds(t.database, new Date(clock));
    const [weekly] = (await get(c['ent-pd'], `/api/selfchecks?status=overdue&pageSize=50`)).json().items.filter((x: { period: string }) => x.period === 'W2026-11-02');
    expect(weekly).toMatchObject({ dueDate: '2026-11-08', status: 'overdue' });
    // Sent twice at once (a double tap): one is taken, the other refused, the round's results written once.
    const body = { version: weekly.version, results: [{ ...allOk()[0], result: 'hazard', hazard: { description: '疏散通道堆放纸箱', grade: 'general' } }, ...allOk().slice(1)], signedBy: principal };
    const hazardsBefore = (await get(c.pudong, `/api/hazards?enterpriseId=${entPd}&pageSize=1`)).json().total;
    const both = await Promise.all([post(c['ent-pd'], `/api/selfchecks/${weekly.id}/submit`, body), post(c['ent-pd'], `/api/selfchecks/${weekly.id}/submit`, body)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await get(c.pudong, `/api/hazards?enterpriseId=${entPd}&pageSize=1`)).json().total).toBe(hazardsBefore + 1);
    const written = await t.database.db.selectFrom('selfcheck_results').select('item_id').where('round_id', '=', weekly.id).execute();
    expect(written).toHaveLength(checklist.items.length);

    const db = t.database.db;
    const rows = await db.selectFrom('selfcheck_rounds').selectAll().execute();
    const yjjDept = (await db.selectFrom('users').select('department_id').where('username', '=', 'yjj').executeTakeFirstOrThrow()).department_id!;
    const yjjIndustries = new Set(await departmentDivisions(db, yjjDept));
    expect(rows.some((r) => yjjIndustries.has(r.industry_code))).toBe(true);
    const today = '2026-12-04';
    const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
    const expected = (inScope: (r: (typeof rows)[number]) => boolean, key: (r: (typeof rows)[number]) => string) => {
      const m = new Map<string, Record<string, number>>();
      for (const r of rows.filter(inScope)) {
        const k = key(r);
        const f = m.get(k) ?? { rounds: 0, onTime: 0, late: 0, overdue: 0, withFindings: 0, hazards: 0 };
        f.rounds++;
        if (r.submitted_at) {
          if (shanghai(r.submitted_at) <= r.due_date) f.onTime++;
          else f.late++;
          if (r.findings! > 0) f.withFindings++;
          f.hazards += r.findings!;
        } else if (r.due_date < today) f.overdue++;
        m.set(k, f);
      }
      return Object.fromEntries([...m.entries()].sort());
    };
    const actual = (body: { rows: ({ key: string } & Record<string, number>)[] }) => Object.fromEntries(body.rows.filter((r) => r.rounds).map((r) => [r.key, { rounds: r.rounds, onTime: r.onTime, late: r.late, overdue: r.overdue, withFindings: r.withFindings, hazards: r.hazards }]));
    const keys = { district: (r: (typeof rows)[number]) => r.district_code, street: (r: (typeof rows)[number]) => r.street_code ?? '', industry: (r: (typeof rows)[number]) => r.industry_code, month: (r: (typeof rows)[number]) => r.due_date.slice(0, 7) };
    for (const groupBy of ['district', 'street', 'industry', 'month'] as const) {
      const s = await get(c.city, `/api/selfchecks/stats?groupBy=${groupBy}`);
      expect(s.statusCode, s.body).toBe(200);
      expect(actual(s.json()), groupBy).toEqual(expected(() => true, keys[groupBy]));
      const mine = (await get(c['ent-pd'], `/api/selfchecks/stats?groupBy=${groupBy}`)).json();
      expect(actual(mine), `ent-pd ${groupBy}`).toEqual(expected((r) => r.enterprise_id === entPd, keys[groupBy]));
      // A street's and a department's narrower views come from other roll-ups of the tallies.
      const street = (await get(c.lujiazui, `/api/selfchecks/stats?groupBy=${groupBy}`)).json();
      expect(actual(street), `lujiazui ${groupBy}`).toEqual(expected((r) => r.street_code === '310115005', keys[groupBy]));
      const dept = (await get(c.yjj, `/api/selfchecks/stats?groupBy=${groupBy}`)).json();
      expect(actual(dept), `yjj ${groupBy}`).toEqual(expected((r) => yjjIndustries.has(r.industry_code), keys[groupBy]));
    }
    expect(Object.keys(expected((r) => r.street_code === '310115005', keys.district))).toEqual(['310115']);
    const city = (await get(c.city, '/api/selfchecks/stats?groupBy=district')).json();
    expect(city.total).toMatchObject({ enterprises: 6, rounds: rows.length, late: 1, withFindings: 2, hazards: 3 });
    expect(city.total.pending).toBe(rows.filter((r) => !r.submitted_at && r.due_date >= today).length);
    expect(city.rows[0]).toMatchObject({ key: '310115', name: '浦东新区' });
    expect(city.hazardsBySource.find((x: { source: string }) => x.source === 'self_check').found).toBeGreaterThanOrEqual(2);
    // Found by source equals the ledger's rows of the same days: the city's from the tallies' city-wide
    // copy (kept beside each district's rows, so reading both would count twice), Pudong's from its own.
    const ledgerBySource = async (district?: string) => {
      let q = db
        .selectFrom('hazards')
        .select(['source', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '!=', 'voided')
        .where('found_at', '>=', Date.parse(`${city.from}T00:00:00+08:00`))
        .where('found_at', '<', Date.parse(`${city.to}T00:00:00+08:00`) + 86_400_000);
      if (district) q = q.where('district_code', '=', district);
      return Object.fromEntries((await q.groupBy('source').execute()).map((r) => [r.source, Number(r.n)]));
    };
    const bySource = (body: { hazardsBySource: { source: string; found: number }[] }) => Object.fromEntries(body.hazardsBySource.map((x) => [x.source, x.found]));
    const cityLedger = await ledgerBySource();
    expect(Object.keys(cityLedger).length).toBeGreaterThan(0);
    expect(bySource(city)).toEqual(cityLedger);
    expect(bySource((await get(c.pudong, '/api/selfchecks/stats?groupBy=district')).json())).toEqual(await ledgerBySource('310115'));
    // Months asked for: only November.
    const nov = (await get(c.city, '/api/selfchecks/stats?groupBy=month&from=2026-11-01&to=2026-11-30')).json();
    expect(nov.rows.map((r: { key: string }) => r.key)).toEqual(['2026-11']);
    expect(nov.rows[0].rounds).toBe(rows.filter((r) => r.due_date.startsWith('2026-11')).length);
    // Another district sees nothing of Pudong's.
    const hp = (await get(c.huangpu, '/api/selfchecks/stats')).json();
    expect(hp.total).toMatchObject({ rounds: 0, enterprises: 0 });
    expect((await get(c.huangpu, '/api/selfchecks/stats?districtCode=310115')).json().total.rounds).toBe(0);
    expect((await get(c.city, '/api/selfchecks/stats?groupBy=county')).statusCode).toBe(400);

    // The cockpits' figures of the month total the same as the round list filtered to the month and region.
    const totalOf = async (who: string, q: string) => (await get(who, `/api/selfchecks?pageSize=1&${q}`)).json().total;
    const month = 'from=2026-12-01&to=2026-12-31';
    for (const [who, url, q] of [
      [c.city, '/api/dashboard/city', month],
      [c.pudong, '/api/dashboard/districts/310115', `${month}&districtCode=310115`],
      [c['ent-pd'], `/api/dashboard/enterprises/${entPd}`, `${month}&enterpriseId=${entPd}`],
      // A department's cockpit, opened by the city: its industries only, as the list filtered to the department.
      [c.city, `/api/dashboard/departments/${yjjDept}`, `${month}&departmentId=${yjjDept}`],
    ] as const) {
      const fig = (await get(who, url)).json().selfChecks;
      expect(fig, url).toMatchObject({ month: '2026-12', from: '2026-12-01', to: '2026-12-31' });
      expect(fig.rounds, url).toBe(await totalOf(who, q));
      expect(fig.rounds, url).toBeGreaterThan(0);
      expect(fig.onTime + fig.late, url).toBe(await totalOf(who, `${q}&status=done`));
      expect(fig.overdue, url).toBe(await totalOf(who, `${q}&status=overdue`));
      expect(fig.pending, url).toBe(await totalOf(who, `${q}&status=due`));
    }
    expect((await get(c.city, '/api/dashboard/city')).json().selfChecks.enterprises).toBe(6);

    // Kept in the writing transactions = recomputed from the rows.
    const kept = await db.selectFrom('selfcheck_tallies').selectAll().execute();
    const norm = (xs: typeof kept) => xs.map((x) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)]))).filter((x) => Object.entries(x).some(([k, v]) => typeof v === 'number' && v !== 0 && k)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const rebuilt = await db.transaction().execute(async (trx) => {
      await rebuildSelfCheckTallies(trx, dialect);
      const all = await trx.selectFrom('selfcheck_tallies').selectAll().execute();
      throw Object.assign(new Error('rollback'), { all });
    }).catch((e: { all?: typeof kept }) => e.all!);
    expect(norm(kept)).toEqual(norm(rebuilt));
  });

  it('reminds each enterprise user of its open rounds and each officer of the overdue rounds in scope, once a day', async () => {
    const db = t.database.db;
    const today = '2026-12-04';
    await Promise.all([runSelfCheckReminders(t.database, new Date(clock)), runSelfCheckReminders(t.database, new Date(clock))]);
    await runSelfCheckReminders(t.database, new Date(clock));
    const notices = async (username: string) =>
      db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['notifications.kind', 'notifications.title', 'notifications.link']).where('users.username', '=', username).where('notifications.kind', 'like', 'selfcheck.%').execute();
    const open = await db.selectFrom('selfcheck_rounds').select(['enterprise_id', 'due_date']).where('submitted_at', 'is', null).execute();
    const overdue = open.filter((r) => r.due_date < today);
    expect(overdue.length).toBeGreaterThan(0);
    const pd = await notices('pudong');
    expect(pd).toHaveLength(1);
    expect(pd[0]).toMatchObject({ kind: 'selfcheck.digest', link: '/selfchecks?status=overdue' });
    expect(pd[0].title).toBe(`自查逾期（${today}）：辖区内 ${new Set(overdue.map((r) => r.enterprise_id)).size} 家企业的 ${overdue.length} 项自查逾期未完成`);
    expect(await notices('huangpu')).toHaveLength(0);
    // ent-pd: this week's round (due Sunday 6 December) is due within three days; its monthly one (the 31st) is not yet.
    const mine = open.filter((r) => r.enterprise_id === entPd && r.due_date <= '2026-12-07');
    expect(mine).toHaveLength(1);
    expect(await notices('ent-pd')).toEqual([{ kind: 'selfcheck.reminder', title: `自查提醒（${today}）：3 日内到期 1 项`, link: '/selfchecks?status=due' }]);
    // The next day the reminder is renewed: yesterday's no longer asks to act.
    await runSelfCheckReminders(t.database, new Date(clock + 86_400_000));
    const again = await db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['notifications.needs_action', 'notifications.dedupe_key']).where('users.username', '=', 'pudong').where('notifications.kind', '=', 'selfcheck.digest').orderBy('notifications.dedupe_key').execute();
    expect(again.map((n) => [n.dedupe_key, Number(n.needs_action)])).toEqual([['selfcheck.digest:2026-12-04', 0], ['selfcheck.digest:2026-12-05', 1]]);
    // Not in the night: at 07:00 in Shanghai nothing goes out yet.
    expect(await runSelfCheckReminders(t.database, new Date('2026-12-05T23:00:00Z'))).toEqual({ enterprises: 0, officers: 0 });
  });

  it('lists rounds that found nothing while others found a major hazard at the same enterprise in the same period — and nothing else', async () => {
    const db = t.database.db;
    const [a, b, cc, d, e] = others;
    const rounds = Object.fromEntries(await Promise.all(others.map(async (id) => [id, (await db.selectFrom('selfcheck_rounds').select(['id', 'version']).where('enterprise_id', '=', id).where('period', '=', '2026-11').executeTakeFirstOrThrow())])));
    // Hand-built: a, b, d, e submitted November with nothing found; cc found one hazard.
    for (const id of [a, b, d, e, cc]) {
      await db.updateTable('selfcheck_rounds').set({ submitted_at: '2026-11-20T02:00:00.000Z', findings: id === cc ? 1 : 0, version: 2 }).where('id', '=', rounds[id].id).execute();
    }
    const report = async (enterpriseId: string, source: string, grade: string, foundAt: string) => {
      const r = await post(c.pudong, '/api/hazards', { enterpriseId, description: '执法检查发现的隐患', location: '厂区', grade, clauseIds: grade === 'major' ? [clauseId] : [], source, foundAt });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const inA1 = await report(a, 'enforcement_inspection', 'major', '2026-11-10T02:00:00.000Z');
    const inA2 = await report(a, 'tip', 'major', '2026-10-31T16:30:00.000Z'); // 00:30 on 1 November in Shanghai: inside
    await report(b, 'enforcement_inspection', 'major', '2026-11-30T16:30:00.000Z'); // 00:30 on 1 December in Shanghai: outside
    await report(b, 'expert_inspection', 'major', '2026-10-20T02:00:00.000Z'); // before the period
    await report(cc, 'enforcement_inspection', 'major', '2026-11-10T02:00:00.000Z'); // its round found something
    await report(d, 'enforcement_inspection', 'general', '2026-11-10T02:00:00.000Z'); // not major
    await report(e, 'accident_investigation', 'major', '2026-11-10T02:00:00.000Z'); // not among the other finders

    const r = await get(c.pudong, '/api/selfchecks/signals?pageSize=50');
    expect(r.statusCode, r.body).toBe(200);
    const list = r.json();
    expect(list.total).toBe(2);
    expect(list.items.map((x: { hazardId: string }) => x.hazardId).sort()).toEqual([inA1, inA2].sort());
    expect(list.items[0]).toMatchObject({ roundId: rounds[a].id, enterpriseId: a, period: '2026-11', periodStart: '2026-11-01', dueDate: '2026-11-30' });
    expect((await get(c.city, '/api/selfchecks/signals')).json().total).toBe(2);
    expect((await get(c.huangpu, '/api/selfchecks/signals')).json().total).toBe(0);
    expect((await get(c['ent-hp'], '/api/selfchecks/signals')).json().total).toBe(0);
    expect((await get(c.pudong, '/api/selfchecks/signals?from=2026-12-01')).json().total).toBe(0);
  });
});
