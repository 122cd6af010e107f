/**
 * Several instances (#13): two server processes on one PostgreSQL database, on two ports, no proxy.
 * A change through one is seen by the other at once (cached answers included); a login lock holds
 * on both; an import started on one shows its progress on the other; the periodic jobs run once per
 * period; and one process starting again does not mark the other's running import as interrupted.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DIALECTS, createTestApp, type TestApp } from '../test/harness';
import { Client, spawnServer, until, type ServerProcess } from '../test/process';

async function workbook(name: string, description: (i: number) => string, rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('隐患');
  ws.addRow(['单位名称', '隐患描述', '发现时间']);
  for (let i = 0; i < rows; i++) ws.addRow([name, description(i), new Date(Date.UTC(2024, 0, 1) + (i % 300) * 86_400_000).toISOString().slice(0, 10)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.runIf(DIALECTS.includes('postgres'))('two server processes on one PostgreSQL database', () => {
  let t: TestApp;
  let a: ServerProcess;
  let b: ServerProcess;
  let env: Record<string, string>;
  let enterprise: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp('postgres', { demo: true, demoCount: 40, demoHazards: 200 });
    enterprise = await t.database.db.selectFrom('users').innerJoin('enterprises', 'enterprises.id', 'users.enterprise_id').select(['enterprises.id', 'enterprises.name']).where('users.username', '=', 'ent-pd').executeTakeFirstOrThrow();
    env = { ...t.database.env, DATA_DIR: t.config.DATA_DIR, ZHIBEN_DEMO_PASSWORD: DEMO_PASSWORD, HEARTBEAT_MS: '200', LOGIN_MAX_FAILURES: '4', LOGIN_RATE_PER_MINUTE: '1000', IMPORT_BATCH_ROWS: '500', LOG_LEVEL: 'error' };
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await t?.close();
  });

  it('a change through one is seen through the other at once, cached ledger and cockpit answers included; a session from one works on the other', async () => {
    expect(a.url).not.toBe(b.url);
    const entA = new Client(a.url);
    expect((await entA.login('ent-pd', DEMO_PASSWORD)).status).toBe(200);
    const cityA = new Client(a.url);
    expect((await cityA.login('city', DEMO_PASSWORD)).status).toBe(200);
    const cityB = cityA.at(b.url);

    // B answers (and caches) the ledger and the cockpit.
    const ledger = `/api/hazards?enterpriseId=${enterprise.id}&pageSize=5`;
    const before = (await cityB.get(ledger)).body;
    const cockpit = (await cityB.get('/api/dashboard/city')).body;
    expect((await cityB.get(ledger)).body).toEqual(before);

    const r = await entA.post('/api/hazards', { enterpriseId: enterprise.id, description: '两个进程之间的可见性测试', location: '仓库', grade: 'general', source: 'self_check', foundAt: new Date(Date.now() - 60_000).toISOString() });
    expect(r.status).toBe(201);
    const after = (await cityB.get(ledger)).body;
    expect(after.total).toBe(before.total + 1);
    expect(after.items.map((h: { id: string }) => h.id)).toContain(r.body.id);
    const cockpitAfter = (await cityB.get('/api/dashboard/city')).body;
    expect(cockpitAfter).not.toEqual(cockpit);
  });

  it('login failures count across both processes, and the lock holds on both', async () => {
    const tries = [new Client(a.url), new Client(b.url), new Client(a.url), new Client(b.url)];
    const answers = [];
    for (const c of tries) answers.push((await c.login('huangpu', 'wrong-password-1')).status);
    expect(answers).toEqual([401, 401, 401, 423]);
    for (const url of [a.url, b.url]) {
      const right = await new Client(url).login('huangpu', DEMO_PASSWORD);
      expect(right.status, url).toBe(423);
      expect(right.body.code).toBe('ACCOUNT_LOCKED');
    }
    // Failures sent to both at once are all counted (no lost update).
    const fresh = 'lujiazui';
    const burst = await Promise.all([a.url, b.url, a.url, b.url, a.url, b.url].map((url) => new Client(url).login(fresh, 'wrong-password-2')));
    expect(burst.filter((x) => x.status === 423).length).toBeGreaterThanOrEqual(1);
    expect((await new Client(b.url).login(fresh, DEMO_PASSWORD)).status).toBe(423);
  });

  it('an import committed through one shows its progress through the other', async () => {
    const officerA = new Client(a.url);
    expect((await officerA.login('pudong', DEMO_PASSWORD)).status).toBe(200);
    const officerB = officerA.at(b.url);
    const rows = 12_000;
    const file = await workbook(enterprise.name, (i) => `多实例导入测试 ${i}`, rows);
    const up = await officerA.upload('/api/imports?kind=hazards', 'two.xlsx', file);
    expect(up.status).toBe(202);
    const id = up.body.id as string;
    await until(async () => ((await officerB.get(`/api/imports/${id}`)).body.status === 'previewed' ? true : undefined), 'the preview, seen from B', 120_000, 100);
    expect((await officerA.post(`/api/imports/${id}/commit`)).status).toBe(202);

    const seen = new Set<number>();
    const done = await until(async () => {
      const j = (await officerB.get(`/api/imports/${id}`)).body;
      if (j.status === 'committing') seen.add(j.rowsWritten);
      return j.status === 'committing' ? undefined : j;
    }, 'the commit, seen from B', 120_000, 20);
    expect(done).toMatchObject({ status: 'committed', rowsWritten: rows });
    // Progress in between, batch by batch, as A wrote it.
    expect([...seen].some((n) => n > 0 && n < rows)).toBe(true);
    const n = await t.database.db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).where('description', 'like', '多实例导入测试 %').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(rows);
  });

  it('both processes are registered; the periodic jobs ran once for the hour whichever ticked; a process starting again leaves the other\'s jobs running; one killed is found gone and its jobs marked by the other', async () => {
    const instances = await t.database.db.selectFrom('instances').select('pid').execute();
    expect(instances.map((i) => i.pid).sort()).toEqual([a.child.pid, b.child.pid].sort());
    const runs = await t.database.db.selectFrom('job_runs').select(['name', 'period', 'holder', 'finished_at']).execute();
    expect([...new Set(runs.map((r) => r.name))].sort()).toEqual(['agency-qualifications', 'certificate-watch', 'deadline-digest', 'export-sweep', 'plan-readings', 'plan-reminders', 'selfcheck-reminders', 'selfcheck-rounds', 'tip-reminders', 'tip-uploads']);
    const byPeriod = new Map<string, number>();
    for (const r of runs) byPeriod.set(`${r.name}@${r.period}`, (byPeriod.get(`${r.name}@${r.period}`) ?? 0) + 1);
    expect([...byPeriod.values()].every((n) => n === 1)).toBe(true);
    expect(runs.every((r) => r.finished_at !== null)).toBe(true);

    // A holds an export when it is killed: B marks it interrupted within a few beats.
    const officerA = new Client(a.url);
    expect((await officerA.login('city', DEMO_PASSWORD)).status).toBe(200);
    const aPid = a.child.pid;
    const holder = (await t.database.db.selectFrom('instances').select('id').where('pid', '=', aPid!).executeTakeFirstOrThrow()).id;
    const id = 'b2d4a3a6-0000-7000-8000-000000000001';
    const user = await t.database.db.selectFrom('users').select('id').where('username', '=', 'city').executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    await t.database.db
      .insertInto('export_jobs')
      .values({ id, city_code: '310000', user_id: user.id, kind: 'hazards', filters_json: '{}', status: 'running', rows_total: 10, rows_written: 1, file_name: 'x.xlsx', size: null, message: null, holder, created_at: at, updated_at: at, expires_at: new Date(Date.now() + 3_600_000).toISOString() })
      .execute();
    // B stops and starts again (its first beat, before it serves, marks the jobs of processes gone): A's export is not among them.
    expect((await b.kill('SIGTERM')).code).toBe(0);
    b = await spawnServer(env);
    const officerB = officerA.at(b.url);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await officerB.get(`/api/exports/${id}`)).body).toMatchObject({ status: 'running', message: null });
    await a.kill('SIGKILL');
    const marked = await until(async () => {
      const j = (await officerB.get(`/api/exports/${id}`)).body;
      return j.status === 'failed' ? j : undefined;
    }, 'the export to be marked by B', 20_000);
    expect(marked.message).toMatch(/服务进程已停止/);
    a = await spawnServer(env);
  });
});
