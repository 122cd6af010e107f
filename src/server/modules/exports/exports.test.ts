import { uuidv7 } from 'uuidv7';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, readSheet, type TestApp } from '../../test/harness';
import { INSTANCE_ID } from '../../workers/instance';
import { interruptExports, startExport, sweepExports } from './jobs';

describe.each(DIALECTS)('export jobs with progress on %s', (dialect) => {
  let t: TestApp;
  let pudong: string;
  let huangpu: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 200, demoHazards: 3000 });
    pudong = await t.login('pudong');
    huangpu = await t.login('huangpu');
  });
  afterAll(() => t?.close());

  const poll = async (cookie: string, id: string) => {
    for (let i = 0; i < 200; i++) {
      const job = (await t.as(cookie, { method: 'GET', url: `/api/exports/${id}` })).json();
      if (job.status !== 'running') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('export did not finish');
  };

  it('writes the filtered ledger as a job: the total up front, rows written as it goes, then the file for its owner only', async () => {
    const qs = 'status=reported,rectifying,pending_acceptance,closed&grade=general&sort=code';
    const total = (await t.as(pudong, { method: 'GET', url: `/api/hazards?${qs}&pageSize=1` })).json().total as number;
    expect(total).toBeGreaterThan(100);
    const started = await t.as(pudong, { method: 'POST', url: `/api/hazards/exports?${qs}` });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ status: 'running', rowsTotal: total, kind: 'hazards', fileName: expect.stringMatching(/^隐患台账-\d{8}\.xlsx$/) });
    const job = await poll(pudong, started.json().id);
    expect(job).toMatchObject({ status: 'done', rowsWritten: total, rowsTotal: total, size: expect.any(Number) });

    // Someone else (even an officer of another district) cannot see or fetch it.
    expect((await t.as(huangpu, { method: 'GET', url: `/api/exports/${job.id}` })).statusCode).toBe(404);
    expect((await t.as(huangpu, { method: 'GET', url: `/api/exports/${job.id}/file` })).statusCode).toBe(404);

    const file = await t.as(pudong, { method: 'GET', url: `/api/exports/${job.id}/file` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain(encodeURIComponent('隐患台账'));
    expect(Number(file.headers['content-length'])).toBe(job.size);
    const ws = await readSheet(file.rawPayload);
    expect(ws.rowCount - 1).toBe(total);
    const codes: string[] = [];
    for (let r = 2; r <= ws.rowCount; r++) codes.push(String(ws.getRow(r).getCell(1).value));
    expect(codes).toEqual([...codes].sort());
    expect(codes.every((c) => c.startsWith('YH-310115-'))).toBe(true);
    expect(new Set(codes).size).toBe(total);
  });

  it('keeps its progress in the job row while it runs: rows written grow to the total', async () => {
    const actor = await t.ctxFor('city');
    const seen: { rows: number; stored: number; status: string }[] = [];
    const job = await startExport(actor, { kind: 'hazards', filters: { sort: 'code' } }, {
      wait: true,
      progressEveryMs: 0,
      afterProgress: async (rows) => {
        const row = await t.database.db.selectFrom('export_jobs').select(['rows_written', 'status']).where('user_id', '=', actor.actor.userId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
        seen.push({ rows, stored: row.rows_written, status: row.status });
      },
    });
    expect(job).toMatchObject({ status: 'done', rowsWritten: 3000, rowsTotal: 3000 });
    // Batches of 2,000: the job showed 2,000 of 3,000 while running, then all.
    expect(seen).toEqual([
      { rows: 2000, stored: 2000, status: 'running' },
      { rows: 3000, stored: 3000, status: 'running' },
    ]);
  });

  it('exports the enterprise registry the same way', async () => {
    const total = (await t.as(pudong, { method: 'GET', url: '/api/enterprises?pageSize=1' })).json().total as number;
    const started = (await t.as(pudong, { method: 'POST', url: '/api/enterprises/exports' })).json();
    const job = await poll(pudong, started.id);
    expect(job).toMatchObject({ status: 'done', rowsWritten: total, kind: 'enterprises' });
    const ws = await readSheet((await t.as(pudong, { method: 'GET', url: `/api/exports/${job.id}/file` })).rawPayload);
    expect(ws.rowCount - 1).toBe(total);
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(expect.arrayContaining(['统一社会信用代码', '企业名称']));
  });

  it('refuses more rows than the limit before any work, with a message saying how many', async () => {
    const actor = await t.ctxFor('city');
    const jobsOf = () => t.database.db.selectFrom('export_jobs').select('id').where('user_id', '=', actor.actor.userId).execute();
    const before = await jobsOf();
    await expect(startExport(actor, { kind: 'hazards', filters: { sort: '-foundAt' } }, { maxRows: 100 })).rejects.toMatchObject({ code: 'EXPORT_TOO_LARGE', message: expect.stringMatching(/^筛选结果共 [\d,]+ 行，超过单次导出上限 100 行/) });
    expect(await jobsOf()).toEqual(before);
    // A worker opens the database anew: it cannot join the caller's open transaction.
    await expect(startExport({ ...actor, inTransaction: true }, { kind: 'hazards', filters: { sort: '-foundAt' } })).rejects.toThrow(/outside a transaction/);
    expect(await jobsOf()).toEqual(before);
    const invalid = await t.as(pudong, { method: 'POST', url: '/api/hazards/exports?grade=serious' });
    expect(invalid.statusCode).toBe(400);
    expect((await t.as(pudong, { method: 'GET', url: '/api/exports/nope/file' })).statusCode).toBe(404);
  });

  it('a download before the file is ready answers 409; an export whose process is gone is marked interrupted, one held by a live process is not; expired ones are removed with their files', async () => {
    const actor = await t.ctxFor('pudong');
    const now = new Date();
    const id = uuidv7();
    await t.database.db
      .insertInto('export_jobs')
      .values({ id, city_code: '310000', user_id: actor.actor.userId, kind: 'hazards', filters_json: '{}', status: 'running', rows_total: 10, rows_written: 2, file_name: 'x.xlsx', size: null, message: null, created_at: now.toISOString(), updated_at: now.toISOString(), expires_at: new Date(now.getTime() + 3_600_000).toISOString() })
      .execute();
    const early = await t.as(pudong, { method: 'GET', url: `/api/exports/${id}/file` });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('EXPORT_NOT_READY');
    const held = uuidv7();
    await t.database.db
      .insertInto('export_jobs')
      .values({ id: held, city_code: '310000', user_id: actor.actor.userId, kind: 'hazards', filters_json: '{}', status: 'running', rows_total: 10, rows_written: 2, file_name: 'y.xlsx', size: null, message: null, holder: 'other-live-process', created_at: now.toISOString(), updated_at: now.toISOString(), expires_at: new Date(now.getTime() + 3_600_000).toISOString() })
      .execute();
    // The first job names no holder (as a process that died before naming one would leave it); the second a live process.
    expect(await interruptExports(t.database.db, now, { gone: { alive: [INSTANCE_ID, 'other-live-process'] } })).toBe(1);
    expect((await t.as(pudong, { method: 'GET', url: `/api/exports/${id}` })).json()).toMatchObject({ status: 'failed', message: '处理该导出的服务进程已停止（重启或故障），请重新导出' });
    expect((await t.as(pudong, { method: 'GET', url: `/api/exports/${held}` })).json()).toMatchObject({ status: 'running' });
    // Once that process is gone too, its export is marked; one stopping marks its own as stopped.
    expect(await interruptExports(t.database.db, now, { holder: 'other-live-process' })).toBe(1);
    expect((await t.as(pudong, { method: 'GET', url: `/api/exports/${held}` })).json()).toMatchObject({ status: 'failed', message: '服务停止时导出中断，请重新导出' });

    const dir = path.join(t.config.DATA_DIR, 'exports');
    const before = readdirSync(dir).length;
    expect(before).toBeGreaterThan(0);
    const later = new Date(now.getTime() + 25 * 3_600_000);
    const swept = await sweepExports(t.database.db, t.config, later);
    expect(swept.removed).toBeGreaterThanOrEqual(before);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
    expect(await t.database.db.selectFrom('export_jobs').selectAll().execute()).toEqual([]);
  });
});
