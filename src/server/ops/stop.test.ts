/**
 * Graceful stop (#13): on SIGTERM the server stops accepting connections, finishes the requests in
 * flight (a bounded wait: one that never ends is cut off), lets the import batch being written
 * commit and marks the job for resumption, leaves the instances, and exits 0.
 */
import http from 'node:http';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DIALECTS, createTestApp, type TestApp } from '../test/harness';
import { Client, spawnServer, until } from '../test/process';

/** A POST whose body is sent in two parts, the second when `finish` is called (or never). */
function slowPost(url: string, path: string, cookie: string, body: string) {
  const u = new URL(url);
  const data = Buffer.from(body);
  const half = Math.floor(data.length / 2);
  const started: { req?: http.ClientRequest } = {};
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length, cookie, 'x-requested-with': 'zhiben' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.write(data.subarray(0, half));
    started.req = req;
  });
  return {
    answered,
    finish: () => started.req!.end(data.subarray(half)),
  };
}

describe.each(DIALECTS)('SIGTERM on %s', (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  let enterprise: { id: string; name: string };
  const rows = 20_000;
  const batch = 500;

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 40 });
    enterprise = await t.database.db.selectFrom('users').innerJoin('enterprises', 'enterprises.id', 'users.enterprise_id').select(['enterprises.id', 'enterprises.name']).where('users.username', '=', 'ent-pd').executeTakeFirstOrThrow();
    env = {
      ...(dialect === 'sqlite' ? t.database.env : { ...t.database.env, DATA_DIR: t.config.DATA_DIR }),
      ZHIBEN_DEMO_PASSWORD: DEMO_PASSWORD,
      HEARTBEAT_MS: '200',
      IMPORT_BATCH_ROWS: String(batch),
      STOP_GRACE_MS: '2000',
      LOG_LEVEL: 'error',
    };
  }, 120_000);
  afterAll(() => t?.close());

  it('finishes the request in flight, cuts off one that never ends, stops the import after its batch for resumption, and exits 0', async () => {
    const db = t.database.db;
    const server = await spawnServer(env);
    const officer = new Client(server.url);
    const ent = new Client(server.url);
    expect((await officer.login('pudong', DEMO_PASSWORD)).status).toBe(200);
    expect((await ent.login('ent-pd', DEMO_PASSWORD)).status).toBe(200);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('隐患');
    ws.addRow(['单位名称', '隐患描述', '发现时间']);
    for (let i = 0; i < rows; i++) ws.addRow([enterprise.name, `停止测试导入 ${i}`, new Date(Date.UTC(2024, 0, 1) + (i % 300) * 86_400_000).toISOString().slice(0, 10)]);
    const up = await officer.upload('/api/imports?kind=hazards', 'stop.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(up.status).toBe(202);
    const id = up.body.id as string;
    await until(async () => ((await officer.get(`/api/imports/${id}`)).body.status === 'previewed' ? true : undefined), 'the preview', 120_000, 100);
    expect((await officer.post(`/api/imports/${id}/commit`)).status).toBe(202);
    await until(async () => {
      const j = await db.selectFrom('import_jobs').select('rows_written').where('id', '=', id).executeTakeFirstOrThrow();
      return j.rows_written > 0 ? true : undefined;
    }, 'the first committed batch', 60_000, 5);

    // Two requests in flight: one will finish after the signal, one never will.
    const report = { enterpriseId: enterprise.id, description: '停止时在途的上报', location: '仓库', grade: 'general', source: 'self_check', foundAt: new Date(Date.now() - 60_000).toISOString() };
    const inFlight = slowPost(server.url, '/api/hazards', ent.cookie!, JSON.stringify(report));
    const stalled = slowPost(server.url, '/api/hazards', ent.cookie!, JSON.stringify({ ...report, description: '永远发不完的上报' }));
    await new Promise((r) => setTimeout(r, 200));
    const signalled = Date.now();
    const exited = server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // No new connection is accepted meanwhile.
    const fresh = new Promise((resolve, reject) => http.get(`${server.url}/api/health`, { agent: false }, (res) => resolve(res.statusCode)).on('error', reject));
    await expect(fresh).rejects.toThrow(/ECONNREFUSED/);
    inFlight.finish();
    const answer = await inFlight.answered;
    expect(answer.status, answer.body).toBe(201);
    const reported = JSON.parse(answer.body) as { id: string };
    await expect(stalled.answered).rejects.toThrow();
    const exit = await exited;
    expect(exit).toEqual({ code: 0, signal: null });
    // Bounded: the grace (2 s) and the batch being written, not the stalled request.
    expect(Date.now() - signalled).toBeLessThan(20_000);

    // What the stop left: the finished report, the import stopped on a batch boundary and marked for resumption, no instance row.
    expect(await db.selectFrom('hazards').select('description').where('id', '=', reported.id).executeTakeFirst()).toEqual({ description: '停止时在途的上报' });
    expect(await db.selectFrom('hazards').select('id').where('description', '=', '永远发不完的上报').execute()).toEqual([]);
    const job = await db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', message: expect.stringMatching(/^服务停止时提交暂停/) });
    expect(job.rows_written % batch).toBe(0);
    expect(job.rows_written).toBeLessThan(rows);
    const written = await db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).where('description', 'like', '停止测试导入 %').executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(job.rows_written);
    expect(await db.selectFrom('instances').select('pid').where('pid', '=', server.child.pid!).execute()).toEqual([]);

    // Started again, the import resumes from its last batch to the end, each row once.
    const again = await spawnServer(env);
    const officer2 = officer.at(again.url);
    expect((await officer2.post(`/api/imports/${id}/commit`)).status).toBe(202);
    const done = await until(async () => {
      const j = (await officer2.get(`/api/imports/${id}`)).body;
      return j.status === 'committing' ? undefined : j;
    }, 'the resumed commit', 120_000, 100);
    expect(done).toMatchObject({ status: 'committed', rowsWritten: rows });
    const all = await db.selectFrom('hazards').select((eb) => eb.fn.count<number>('description').distinct().as('n')).where('description', 'like', '停止测试导入 %').executeTakeFirstOrThrow();
    expect(Number(all.n)).toBe(rows);
    expect((await again.kill('SIGTERM')).code).toBe(0);
  }, 300_000);
});
