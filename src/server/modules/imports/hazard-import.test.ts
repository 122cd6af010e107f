import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromUser } from '../../auth/actor';
import type { ActorCtx } from '../../context';
import { DIALECTS, createTestApp, multipart, type TestApp } from '../../test/harness';
import { HazardQuery } from '../../../shared/contracts/hazards';
import { listHazards } from '../hazards/repository';
import { commitImport, findJob, interruptImportJobs, presentJob, startHazardImport, startImport } from './jobs';
import { INSTANCE_ID } from '../../workers/instance';
import { waitingWritesCounter } from '../../db/sqlite-driver';

const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function xlsx(name: string, rows: unknown[][], merge?: string): Promise<{ name: string; content: Buffer }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('台账');
  for (const r of rows) ws.addRow(r);
  if (merge) ws.mergeCells(merge);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return { name, content: readFileSync(file) };
}

describe.each(DIALECTS)('hazard ledger import on %s', (dialect) => {
  let t: TestApp;
  let ctx: ActorCtx;
  let ent: { id: string; name: string; uscc: string };
  let ent2: { id: string; name: string; uscc: string };
  let hpEnt: { name: string; uscc: string };
  const count = async () => Number((await t.database.db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 120 });
    const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'pudong').executeTakeFirstOrThrow();
    ctx = { ...t.ctx, actor: await actorFromUser(t.database.db, user, 'session') };
    const pd = await t.database.db.selectFrom('enterprises').select(['id', 'name', 'uscc']).where('district_code', '=', '310115').orderBy('id').limit(2).execute();
    [ent, ent2] = pd;
    hpEnt = await t.database.db.selectFrom('enterprises').select(['name', 'uscc']).where('district_code', '=', '310101').executeTakeFirstOrThrow();
  });
  afterAll(() => t?.close());

  /** Makes the database refuse hazards whose description starts with `prefix` (a regular trigger, so a worker's connection meets it too); answers the undoing. */
  const refuseHazards = async (prefix: string, message: string) => {
    const db = t.database.db;
    if (dialect === 'sqlite') {
      await sql.raw(`create trigger refuse_hazards before insert on hazards when new.description like '${prefix}%' begin select raise(abort, '${message}'); end`).execute(db);
      return async () => void (await sql`drop trigger refuse_hazards`.execute(db));
    }
    await sql.raw(`create function refuse_hazards() returns trigger language plpgsql as $$ begin if new.description like '${prefix}%' then raise exception '${message}'; end if; return new; end $$`).execute(db);
    await sql`create trigger refuse_hazards before insert on hazards for each row execute function refuse_hazards()`.execute(db);
    return async () => void (await sql`drop trigger refuse_hazards on hazards; drop function refuse_hazards()`.execute(db));
  };

  const messy = () => [
    ['2024年浦东新区隐患排查治理台账'],
    ['序号', '单位名称*', '信用代码', '所属区', '存在问题（必填）', '部位', '隐患等级', '判定依据', '来源', '排查日期', '整改时限', '整改情况', '责任人', '完成日期'],
    [1, ent.name, '', '浦东新区', '配电箱门未关闭', '一车间', '一般', '', '自查', new Date(Date.UTC(2024, 4, 31)), '2024/6/15', '整改中', '张三', ''],
    [2, '', ` ${ent2.uscc.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))} `, '', '有限空间作业未审批', '污水池', '重大', '工贸企业重大事故隐患判定标准 第十一条第（一）项', '执法检查', '2024年5月3日', '2024.6.30', '已销号', '李四', '2024-06-20'],
    [3, ent.name, '', '', '消防通道堵塞', '仓库', '一般隐患', '', '日常检查', 45443, '', '已整改', '', '2024/6/1'],
    [4, '不存在的企业', '', '', '隐患描述', '', '一般', '', '', '2024-05-01', '', '', '', ''],
    [5, hpEnt.name, hpEnt.uscc, '', '黄浦企业的隐患', '', '一般', '', '', '2024-05-01', '', '', '', ''],
    [6, ent.name, '', '', '日期写错了', '', '一般', '', '', '2024-02-30', '', '', '', ''],
    [7, ent.name, '', '', '重大却没写依据', '', '重大', '', '', '2024-05-02', '', '', '', ''],
    [8, ent.name, '', '浦东新区', '配电箱门未关闭', '一车间', '一般', '', '自查', '2024-05-31', '2024/6/15', '整改中', '张三', ''],
    [],
    [9, ent2.name, '', '', '叉车司机无证', '装卸区', '一般', '', '', '2024.5.20', '', '待整改', '', ''],
  ];

  it('previews a messy file: title row, synonyms, every date form, Chinese words, full-width codes — and reports every bad row', async () => {
    const before = await count();
    const id = await startHazardImport(ctx, await xlsx('浦东台账.xlsx', messy(), 'A1:N1'), { wait: true });
    const job = await findJob(ctx, id);
    expect(job.status).toBe('previewed');
    expect(JSON.parse(job.counts_json!)).toEqual({ create: 4, update: 0, unchanged: 0, error: 5, total: 9, cleaned: 0, cleanedRows: [], inferred: [] });
    const admin = await t.login('pudong');
    const errors = (await t.as(admin, { method: 'GET', url: `/api/imports/${id}/errors` })).json();
    const byRow = Object.fromEntries(errors.items.map((e: { rowNumber: number; errors: { column: string; message: string }[] }) => [e.rowNumber, e.errors]));
    expect(Object.keys(byRow).map(Number)).toEqual([6, 7, 8, 9, 10]);
    expect(byRow[6][0].message).toMatch(/不存在或不在您的管辖范围内/);
    expect(byRow[7][0].message).toMatch(/不在您的管辖范围内/);
    expect(byRow[8][0]).toMatchObject({ column: '发现时间', message: expect.stringMatching(/日期不存在/) });
    expect(byRow[9][0]).toMatchObject({ column: '判定依据' });
    expect(byRow[10][0].message).toMatch(/与第 3 行重复/);
    expect(await count()).toBe(before);

    const sheet = new ExcelJS.Workbook();
    await sheet.xlsx.load((await t.as(admin, { method: 'GET', url: `/api/imports/${id}/errors.xlsx` })).rawPayload as unknown as ArrayBuffer);
    const ws = sheet.worksheets[0];
    expect(ws.rowCount).toBe(6);
    expect(ws.getRow(2).getCell(1).value).toBe(6);
    expect(String(ws.getRow(2).getCell(ws.columnCount).value)).toMatch(/不存在的企业|管辖/);
  });

  it('commits, keeps history and provenance, and re-importing the same or an updated file never duplicates', async () => {
    const before = await count();
    const file = await xlsx('浦东台账.xlsx', messy(), 'A1:N1');
    const id = await startHazardImport(ctx, file, { wait: true });
    const committed = await commitImport(ctx, id, { wait: true });
    expect(committed.status).toBe('committed');
    expect(committed.rows_written).toBe(4);
    expect(await count()).toBe(before + 4);
    const closed = await t.database.db.selectFrom('hazards').selectAll().where('description', '=', '有限空间作业未审批').executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ status: 'closed', grade: 'major', enterprise_id: ent2.id, deadline: '2024-06-30' });
    expect(closed.closed_at).toBe(Date.parse('2024-06-19T16:00:00.000Z'));
    const event = await t.database.db.selectFrom('hazard_events').selectAll().where('hazard_num', '=', closed.num).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ action: 'import', to_status: 'closed' });
    expect(JSON.parse(event.data_json!)).toMatchObject({ file: '浦东台账.xlsx', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), row: 4 });
    expect((await t.database.db.selectFrom('hazard_clauses').select('clause_id').where('hazard_id', '=', closed.id).execute()).length).toBe(1);
    const serial = await t.database.db.selectFrom('hazards').select(['found_at', 'status']).where('description', '=', '消防通道堵塞').executeTakeFirstOrThrow();
    expect(serial).toMatchObject({ found_at: Date.parse('2024-05-30T16:00:00.000Z'), status: 'closed' });

    const again = await startHazardImport(ctx, file, { wait: true });
    expect(JSON.parse((await findJob(ctx, again)).counts_json!)).toMatchObject({ create: 0, update: 0, unchanged: 4 });
    await commitImport(ctx, again, { wait: true });
    expect(await count()).toBe(before + 4);

    const updated = messy();
    updated[2][11] = '已销号';
    updated[2][13] = '2024-06-10';
    updated[2][5] = '二车间配电房';
    const third = await startHazardImport(ctx, await xlsx('浦东台账-更新.xlsx', updated, 'A1:N1'), { wait: true });
    expect(JSON.parse((await findJob(ctx, third)).counts_json!)).toMatchObject({ create: 0, update: 1, unchanged: 3 });
    await commitImport(ctx, third, { wait: true });
    expect(await count()).toBe(before + 4);
    const h = await t.database.db.selectFrom('hazards').selectAll().where('description', '=', '配电箱门未关闭').executeTakeFirstOrThrow();
    expect(h.status).toBe('closed');
    const events = await t.database.db.selectFrom('hazard_events').select('action').where('hazard_num', '=', h.num).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['import', 'import_update']);
    // The new location is searchable (the search tokens follow the row).
    const search = async (q: string) => (await listHazards(t.database.db, dialect, ctx.actor, HazardQuery.parse({ q }), ctx.now())).rows.map((r) => r.id);
    expect(await search('二车间配电房')).toEqual([h.id]);

    // One sheet reaching the same hazard twice — by its code, and by enterprise + description +
    // date — updates it twice, in row order, with one event each.
    const twice = [
      ['隐患编号', '单位名称', '隐患描述', '隐患部位', '隐患级别', '发现时间', '整改状态', '销号日期'],
      [h.code, ent.name, '配电箱门未关闭', '三车间', '一般', '2024-05-31', '整改中', ''],
      ['', ent.name, '配电箱门未关闭', '四车间', '一般', '2024-05-31', '已销号', '2024-06-12'],
    ];
    const fourth = await startHazardImport(ctx, await xlsx('两次.xlsx', twice), { wait: true });
    expect(JSON.parse((await findJob(ctx, fourth)).counts_json!)).toMatchObject({ create: 0, update: 2, error: 0 });
    expect((await commitImport(ctx, fourth, { wait: true })).status).toBe('committed');
    const h2 = await t.database.db.selectFrom('hazards').selectAll().where('id', '=', h.id).executeTakeFirstOrThrow();
    expect(h2).toMatchObject({ location: '四车间', status: 'closed', closed_at: Date.parse('2024-06-11T16:00:00.000Z'), version: h.version + 2 });
    const all = await t.database.db.selectFrom('hazard_events').select(['seq', 'action', 'from_status', 'to_status']).where('hazard_num', '=', h.num).orderBy('seq').execute();
    expect(all).toEqual([
      { seq: 1, action: 'import', from_status: null, to_status: 'rectifying' },
      { seq: 2, action: 'import_update', from_status: 'rectifying', to_status: 'closed' },
      { seq: 3, action: 'import_update', from_status: 'closed', to_status: 'rectifying' },
      { seq: 4, action: 'import_update', from_status: 'rectifying', to_status: 'closed' },
    ]);
    expect(await count()).toBe(before + 4);
  });

  it('matches a row without a code on the Shanghai day it was found, whatever the time — and not across midnight', async () => {
    const header = ['单位名称', '隐患描述', '隐患部位', '隐患级别', '发现时间', '整改状态'];
    const first = await startHazardImport(ctx, await xlsx('夜班.xlsx', [header, [ent.name, '夜班巡查发现灭火器过期', '一楼', '一般', '2024-07-31 23:30', '整改中'], [ent.name, '凌晨巡查发现灭火器过期', '一楼', '一般', '2024-08-01 00:10', '整改中']]), { wait: true });
    expect(JSON.parse((await findJob(ctx, first)).counts_json!)).toMatchObject({ create: 2, error: 0 });
    await commitImport(ctx, first, { wait: true });
    const late = await t.database.db.selectFrom('hazards').select(['id', 'found_at']).where('description', '=', '夜班巡查发现灭火器过期').executeTakeFirstOrThrow();
    expect(late.found_at).toBe(Date.parse('2024-07-31T15:30:00.000Z'));

    // The same day as a date only: the 23:30 hazard is updated; the 00:10 one was found the next day.
    const again = [header, [ent.name, '夜班巡查发现灭火器过期', '二楼', '一般', '2024-07-31', '整改中'], [ent.name, '凌晨巡查发现灭火器过期', '二楼', '一般', '2024/7/31', '整改中']];
    const second = await startHazardImport(ctx, await xlsx('夜班-更新.xlsx', again), { wait: true });
    expect(JSON.parse((await findJob(ctx, second)).counts_json!)).toMatchObject({ create: 1, update: 1, unchanged: 0, error: 0 });
    const before = await count();
    await commitImport(ctx, second, { wait: true });
    expect(await count()).toBe(before + 1);
    expect((await t.database.db.selectFrom('hazards').select('location').where('id', '=', late.id).executeTakeFirstOrThrow()).location).toBe('二楼');
    expect(await t.database.db.selectFrom('hazards').select('location').where('description', '=', '凌晨巡查发现灭火器过期').orderBy('found_at').execute()).toEqual([{ location: '二楼' }, { location: '一楼' }]);
  });

  it('moves the code counter past codes it brings in, so later reports never collide', async () => {
    const file = await xlsx('编号.xlsx', [['隐患编号', '单位名称', '隐患描述', '发现时间'], ['YH-310115-2023-000500', ent.name, '带编号导入的隐患', '2023-03-01']]);
    const id = await startHazardImport(ctx, file, { wait: true });
    await commitImport(ctx, id, { wait: true });
    const pudong = await t.login('pudong');
    const next = await t.as(pudong, {
      method: 'POST',
      url: '/api/hazards',
      payload: { enterpriseId: ent.id, description: '之后登记的2023年隐患', location: '厂区', grade: 'general', source: 'routine_inspection', foundAt: '2023-04-01T02:00:00Z' },
    });
    expect(next.statusCode).toBe(201);
    expect(next.json().code).toBe('YH-310115-2023-000501');
  });

  it('cleans control characters and broken UTF-16 out of cells, says so, and commits the same on either database', async () => {
    // exceljs reads `_xHHHH_` escapes as the character itself, as Excel does: that is how such characters arrive.
    const file = await xlsx('控制字符.xlsx', [
      ['单位名称', '隐患描述', '隐患部位', '隐患级别', '发现时间', '整改责任人'],
      [ent.name, '空字符_x0000_夹在隐患描述中间', '一车间\t东侧\n二楼', '一般', '2024-07-01', '王五'],
      [ent.name, '响铃_x0007_字符的隐患描述', '配电房', '一般', '2024-07-02', '张_xD800_三'],
      [ent.name, '残缺代理_xDC00_对的隐患描述', '仓库', '一般', '0001-01-01', ''],
      [ent.name, '很长'.repeat(5000), '仓库', '一般', '2024-07-03', ''],
      [ent.name, '年份过大的隐患描述🔥', '仓库', '一般', '9999-12-31', ''],
      [ent.name, '序列号过大的隐患描述', '仓库', '一般', 2958466, ''],
      [ent.name, '_x000B_垂直制表符开头的隐患描述', '_x001F_', '一般', '2024-07-04', ''],
    ]);
    const id = await startHazardImport(ctx, file, { wait: true });
    const job = await findJob(ctx, id);
    expect(job.status).toBe('previewed');
    expect(JSON.parse(job.counts_json!)).toEqual({ create: 3, update: 0, unchanged: 0, error: 4, total: 7, cleaned: 6, cleanedRows: [2, 3, 4, 8], inferred: [] });
    const pudong = await t.login('pudong');
    const shown = (await t.as(pudong, { method: 'GET', url: `/api/imports/${id}` })).json();
    expect(shown.counts).toMatchObject({ cleaned: 6, cleanedRows: [2, 3, 4, 8], inferred: [] });
    const errors = (await t.as(pudong, { method: 'GET', url: `/api/imports/${id}/errors` })).json();
    expect(errors.items.map((e: { rowNumber: number }) => e.rowNumber)).toEqual([4, 5, 6, 7]);

    await commitImport(ctx, id, { wait: true });
    expect((await findJob(ctx, id)).status).toBe('committed');
    const rows = await t.database.db
      .selectFrom('hazards')
      .select(['description', 'location', 'responsible_name'])
      .where('enterprise_id', '=', ent.id)
      .where('found_at', '>=', Date.parse('2024-06-30T16:00:00.000Z'))
      .where('found_at', '<', Date.parse('2024-07-04T16:00:00.000Z'))
      .orderBy('found_at')
      .execute();
    expect(rows).toEqual([
      { description: '空字符夹在隐患描述中间', location: '一车间 东侧 二楼', responsible_name: '王五' },
      { description: '响铃字符的隐患描述', location: '配电房', responsible_name: '张三' },
      { description: '垂直制表符开头的隐患描述', location: '', responsible_name: null },
    ]);
  });

  it('refuses files over the size and row limits with a clear message', async () => {
    await expect(startHazardImport(ctx, { name: 'big.xlsx', content: Buffer.alloc(50 * 1024 * 1024 + 1) })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/50 MB/) });
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    for (let i = 0; i < 40; i++) rows.push([ent.name, `超限测试 ${i}`, '2024-07-01']);
    const id = await startImport(ctx, 'hazards', await xlsx('超限.xlsx', rows), { wait: true, maxRows: 25 });
    expect(await findJob(ctx, id)).toMatchObject({ status: 'failed', counts_json: null, message: '文件超过 25 行，请拆分后分批导入' });
    expect(await t.database.db.selectFrom('import_rows').select('row_number').where('job_id', '=', id).execute()).toEqual([]);
  });

  it('asks for a mapping when no header is recognised, and refuses a file that is not a spreadsheet', async () => {
    const noHeader = await startHazardImport(ctx, await xlsx('乱.xlsx', [['随便'], ['什么', '都', '没有']]), { wait: true });
    const asked = presentJob(await findJob(ctx, noHeader));
    expect(asked).toMatchObject({ status: 'previewed', needsMapping: true, message: expect.stringMatching(/缺少必填列/) });
    expect(asked.layout).toMatchObject({ headerRow: 2, missing: expect.arrayContaining(['description', 'foundAt']) });
    expect(asked.layout!.columns.map((c) => c.title)).toEqual(['什么', '都', '没有']);
    await expect(commitImport(ctx, noHeader)).rejects.toMatchObject({ code: 'MAPPING_REQUIRED' });
    const pudong = await t.login('pudong');
    const mp = multipart('file', 'ledger.xlsx', Buffer.from('not a zip at all'));
    const res = await t.as(pudong, { method: 'POST', url: '/api/imports', payload: mp.payload, headers: mp.headers });
    expect(res.statusCode).toBe(202);
    let job = res.json();
    for (let i = 0; i < 50 && job.status === 'previewing'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await t.as(pudong, { method: 'GET', url: `/api/imports/${job.id}` })).json();
    }
    expect(job).toMatchObject({ status: 'failed', message: expect.stringMatching(/无法读取文件|导入失败/) });
    expect((await t.as(await t.login('huangpu'), { method: 'GET', url: `/api/imports/${job.id}` })).statusCode).toBe(404);
  });

  it('a commit that fails in its worker keeps the batches before, says it can be resumed, and completes once the cause is gone', async () => {
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    for (let i = 0; i < 6; i++) rows.push([ent2.name, i < 3 ? `工作线程测试隐患 ${i}` : `拒绝写入测试隐患 ${i}`, '2024-08-01']);
    const before = await count();
    const id = await startHazardImport(ctx, await xlsx('工作线程.xlsx', rows), { wait: true });
    // The database refuses the fourth row (a regular trigger: the worker has its own connection).
    const allow = await refuseHazards('拒绝写入', 'refused for the test');
    const errors: unknown[] = [];
    const failed = await commitImport(ctx, id, { wait: true, batch: 2, onError: (e) => errors.push(e) });
    expect(failed).toMatchObject({ status: 'failed', rows_written: 2, message: expect.stringMatching(/可再次提交/) });
    expect(String(errors[0])).toMatch(/refused for the test/);
    expect(await count()).toBe(before + 2);
    await allow();
    expect(await commitImport(ctx, id, { wait: true })).toMatchObject({ status: 'committed', rows_written: 6 });
    expect(await count()).toBe(before + 6);
  });

  it('a batch taken in parts is one transaction: a part that fails takes the batch’s earlier parts back with it, and the batch is audited once', async () => {
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    // Batches of 4 rows in parts of 2: sheet rows 2–5, then 6–9; row 8 (in the second batch's second part) is refused.
    for (let i = 0; i < 8; i++) rows.push([ent2.name, i === 6 ? `拒绝分段测试隐患 ${i}` : `分段提交测试隐患 ${i}`, '2024-08-03']);
    const before = await count();
    const id = await startHazardImport(ctx, await xlsx('分段.xlsx', rows), { wait: true });
    const allow = await refuseHazards('拒绝分段', 'part refused for the test');
    const written: number[] = [];
    const failed = await commitImport(ctx, id, { wait: true, batch: 4, part: 2, afterBatch: (n) => void written.push(n), onError: () => undefined });
    // The second batch's first part (rows 6 and 7, both fine) is rolled back with its second (row 8 refused).
    expect(failed).toMatchObject({ status: 'failed', rows_written: 4 });
    expect(written).toEqual([4]);
    expect(await count()).toBe(before + 4);
    const imported = await t.database.db.selectFrom('hazards').select('description').where('description', 'like', '分段提交测试隐患%').orderBy('description').execute();
    expect(imported.map((h) => h.description)).toEqual([0, 1, 2, 3].map((i) => `分段提交测试隐患 ${i}`));
    await allow();
    expect(await commitImport(ctx, id, { wait: true, batch: 4, part: 2, afterBatch: (n) => void written.push(n) })).toMatchObject({ status: 'committed', rows_written: 8 });
    expect(written).toEqual([4, 8]);
    expect(await count()).toBe(before + 8);
    // One audit record per batch (not per part), naming all its rows and the hazards written.
    const audits = await t.database.db.selectFrom('audit_log').select('after_json').where('entity_id', '=', id).where('action', '=', 'hazard.imported').orderBy('id').execute();
    const records = audits.map((a) => JSON.parse(a.after_json!) as { rows: number[]; ids: string[] }).sort((a, b) => a.rows[0] - b.rows[0]);
    expect(records.map((r) => r.rows)).toEqual([[2, 3, 4, 5], [6, 7, 8, 9]]);
    const ids = await t.database.db.selectFrom('hazards').select('id').where('description', 'like', '%分段%').execute();
    expect(records.flatMap((r) => r.ids).sort()).toEqual(ids.map((h) => h.id).sort());
  });

  it('a write waiting for the lock ends a batch after the part in hand (SQLite); on PostgreSQL batches stay whole', async () => {
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    for (let i = 0; i < 6; i++) rows.push([ent2.name, `等待写入测试隐患 ${i}`, '2024-08-04']);
    const id = await startHazardImport(ctx, await xlsx('等待写入.xlsx', rows), { wait: true });
    // As a write of this process waiting for the lock counts itself (sqlite-driver.ts), seen by the commit's worker.
    const waiting = new Int32Array(waitingWritesCounter());
    const written: number[] = [];
    Atomics.add(waiting, 0, 1);
    try {
      expect(await commitImport(ctx, id, { wait: true, batch: 6, part: 2, afterBatch: (n) => void written.push(n) })).toMatchObject({ status: 'committed', rows_written: 6 });
    } finally {
      Atomics.sub(waiting, 0, 1);
    }
    expect(written).toEqual(dialect === 'sqlite' ? [2, 4, 6] : [6]);
    const audits = await t.database.db.selectFrom('audit_log').select('after_json').where('entity_id', '=', id).where('action', '=', 'hazard.imported').execute();
    expect(audits.map((a) => (JSON.parse(a.after_json!) as { rows: number[] }).rows.length).sort()).toEqual(dialect === 'sqlite' ? [2, 2, 2] : [6]);
  });

  it.runIf(dialect === 'sqlite')('a write waiting in another server process (its marker beside the file) ends a batch after the part in hand too (SQLite)', async () => {
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    for (let i = 0; i < 6; i++) rows.push([ent2.name, `他进程等待写入测试隐患 ${i}`, '2024-08-05']);
    const id = await startHazardImport(ctx, await xlsx('他进程等待写入.xlsx', rows), { wait: true });
    // What sqlite-driver.ts leaves while a write of another process waits for the lock: a live
    // process's marker in `<file>-waits` (a sleeping child stands in for the other server process).
    const other = spawn('sleep', ['60']);
    const folder = `${path.resolve(t.database.location)}-waits`;
    mkdirSync(folder, { recursive: true });
    const marker = path.join(folder, `${other.pid}.0`);
    writeFileSync(marker, '');
    const written: number[] = [];
    try {
      expect(await commitImport(ctx, id, { wait: true, batch: 6, part: 2, afterBatch: (n) => void written.push(n) })).toMatchObject({ status: 'committed', rows_written: 6 });
    } finally {
      rmSync(marker, { force: true });
      other.kill();
    }
    expect(written).toEqual([2, 4, 6]);
  });

  it('a preview that fails in its worker for an unexpected reason fails the job with no rows kept, and reports the cause to the log', async () => {
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    for (let i = 0; i < 3; i++) rows.push([ent2.name, `预览失败测试隐患 ${i}`, '2024-08-02']);
    if (dialect === 'sqlite') {
      await sql`create trigger refuse_rows before insert on import_rows begin select raise(abort, 'preview refused for the test'); end`.execute(t.database.db);
    } else {
      await sql`create function refuse_rows() returns trigger language plpgsql as $$ begin raise exception 'preview refused for the test'; end $$`.execute(t.database.db);
      await sql`create trigger refuse_rows before insert on import_rows for each row execute function refuse_rows()`.execute(t.database.db);
    }
    const errors: unknown[] = [];
    try {
      const id = await startHazardImport(ctx, await xlsx('预览失败.xlsx', rows), { wait: true, onError: (e) => errors.push(e) });
      expect(await findJob(ctx, id)).toMatchObject({ status: 'failed', counts_json: null, message: '导入失败：服务器内部错误，请稍后重试' });
      expect(await t.database.db.selectFrom('import_rows').select('row_number').where('job_id', '=', id).execute()).toEqual([]);
      expect(String(errors[0])).toMatch(/preview refused for the test/);
      await expect(commitImport(ctx, id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    } finally {
      if (dialect === 'sqlite') await sql`drop trigger refuse_rows`.execute(t.database.db);
      else await sql`drop trigger refuse_rows on import_rows; drop function refuse_rows()`.execute(t.database.db);
    }
  });

  it('a commit killed mid-way leaves whole batches; after restart, committing again neither loses nor duplicates a row', async () => {
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    for (let i = 0; i < 14; i++) rows.push([ent2.name, `批量导入测试隐患 ${i}`, '2024-07-01']);
    const before = await count();
    const id = await startHazardImport(ctx, await xlsx('批量.xlsx', rows), { wait: true });
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'commit-child.fixture.ts'), id, 'pudong'], {
      env: { PATH: process.env.PATH, ...t.database.env, KILL_AFTER: '6', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(child.signal, child.stderr + child.stdout).toBe('SIGKILL');
    expect(child.stdout).not.toMatch(/finished/);
    expect(await count()).toBe(before + 6);
    expect((await findJob(ctx, id)).status).toBe('committing');
    // The killed process held the job; this one is alive, so it marks the job interrupted.
    const held = await findJob(ctx, id);
    expect(held.holder).not.toBe(INSTANCE_ID);
    expect(await interruptImportJobs(t.database.db, new Date(), { gone: { alive: [held.holder!] } })).toBe(0);
    expect(await interruptImportJobs(t.database.db, new Date(), { gone: { alive: [INSTANCE_ID] } })).toBe(1);
    expect(await findJob(ctx, id)).toMatchObject({ status: 'failed', rows_written: 6, message: expect.stringContaining('可再次提交继续') });
    const resumed = await commitImport(ctx, id, { wait: true });
    expect(resumed).toMatchObject({ status: 'committed', rows_written: 14 });
    expect(await count()).toBe(before + 14);
    const imported = await t.database.db.selectFrom('hazards').select(['code', 'description']).where('description', 'like', '批量导入测试隐患%').execute();
    expect(new Set(imported.map((h) => h.description)).size).toBe(14);
    expect(new Set(imported.map((h) => h.code)).size).toBe(14);
  });

  it('a commit sent twice at once (a double click, two tabs) runs once: the second is refused and nothing is written twice', async () => {
    const rows: unknown[][] = [['单位名称', '隐患描述', '发现时间']];
    for (let i = 0; i < 9; i++) rows.push([ent2.name, `双击提交测试隐患 ${i}`, '2024-07-02']);
    const id = await startHazardImport(ctx, await xlsx('双击.xlsx', rows), { wait: true });
    const [a, b] = await Promise.allSettled([commitImport(ctx, id, { wait: true }), commitImport(ctx, id, { wait: true })]);
    const outcomes = [a, b].map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as { code?: string }).code)).sort();
    expect(outcomes).toEqual(['INVALID_TRANSITION', 'committed']);
    const n = await t.database.db.selectFrom('hazards').select((eb) => eb.fn.countAll<number>().as('n')).where('description', 'like', '双击提交测试隐患%').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(9);
  });
});

describe('import from the command line (SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { demo: true, demoCount: 60 });
  });
  afterAll(() => t?.close());

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../../../scripts/zhiben.ts'), ...args], {
      env: { PATH: process.env.PATH, ...t.database.env, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });

  it('previews by default, imports with --commit, keeps to the user’s scope, and says how to use it', async () => {
    const ent = await t.database.db.selectFrom('enterprises').select(['name']).where('district_code', '=', '310115').executeTakeFirstOrThrow();
    const hp = await t.database.db.selectFrom('enterprises').select(['name']).where('district_code', '=', '310101').executeTakeFirstOrThrow();
    const file = await xlsx('cli.xlsx', [['企业名称', '隐患描述', '发现时间'], [ent.name, '命令行导入的隐患', '2024-08-01'], [hp.name, '不在辖区', '2024-08-01']]);
    const filePath = path.join(dir, file.name);
    const preview = cli('import', 'hazards', filePath, '--as', 'pudong');
    expect(preview.status).toBe(0);
    expect(preview.stdout).toMatch(/create 1, update 0, unchanged 0, errors 1/);
    expect(preview.stdout).toMatch(/第 3 行/);
    expect(await t.database.db.selectFrom('hazards').select('id').where('description', '=', '命令行导入的隐患').execute()).toHaveLength(0);
    const commit = cli('import', 'hazards', filePath, '--as', 'pudong', '--commit');
    expect(commit.status).toBe(0);
    expect(commit.stdout).toMatch(/Imported: 1 rows written/);
    expect(await t.database.db.selectFrom('hazards').select('id').where('description', '=', '命令行导入的隐患').execute()).toHaveLength(1);
    expect(cli('import', 'hazards', filePath).status).toBe(2);
    expect(cli('import', 'hazards', filePath, '--as', 'nobody').status).toBe(2);
    const broken = path.join(dir, 'broken.xlsx');
    (await import('node:fs')).writeFileSync(broken, 'not a spreadsheet');
    const bad = cli('import', 'hazards', broken, '--as', 'pudong', '--commit');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/无法读取文件|导入失败/);
  });

  it('rebuilds the cockpit tallies from the ledger on demand, to the same figures the commands kept', async () => {
    const db = t.database.db;
    const kept = await db.selectFrom('hazard_tallies').selectAll().where('n', '!=', 0).orderBy(['grouping', 'measure', 'district_code', 'period', 'street_code', 'industry_code', 'grade', 'source', 'supervision', 'extra']).execute();
    expect(kept.length).toBeGreaterThan(0);
    await db.deleteFrom('hazard_tallies').execute();
    const run = cli('tallies', 'rebuild');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Rebuilt the cockpit tallies from \d+ hazards/);
    const rebuilt = await db.selectFrom('hazard_tallies').selectAll().where('n', '!=', 0).orderBy(['grouping', 'measure', 'district_code', 'period', 'street_code', 'industry_code', 'grade', 'source', 'supervision', 'extra']).execute();
    expect(rebuilt).toEqual(kept);
  });
});
