/**
 * Files as offices keep them (fixtures/offices.ts, written by SheetJS): a district registry without
 * a district column, a ledger with a title block, merged enterprise cells, a credit code under a
 * title that names nothing, the office's own words, every date form, hidden and blank rows, a
 * totals row and a notes sheet — as .xlsx, .xls and GBK .csv; and a file whose titles match
 * nothing, mapped by hand, saved, and applied to the next file with the same header.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../shared/uscc';
import type { ImportLayout } from '../../../shared/contracts/imports';
import type { ActorCtx } from '../../context';
import { DIALECTS, createTestApp, multipart, type TestApp } from '../../test/harness';
import { ledgerBook, NAMES, UNKNOWN_MAPPING, unknownHeadersBook, USCC, xlsxOf } from './fixtures/offices';
import { commitImport, findJob, presentJob, startImport } from './jobs';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => ({ name, content: readFileSync(path.join(FIXTURES, name)) });

describe.each(DIALECTS)('files as offices keep them, on %s', (dialect) => {
  let t: TestApp;
  let ctx: ActorCtx;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 30 });
    ctx = await t.ctxFor('pudong');
  });
  afterAll(() => t?.close());

  const preview = async (kind: 'hazards' | 'enterprises', file: { name: string; content: Buffer }, as = ctx) => presentJob(await findJob(as, await startImport(as, kind, file, { wait: true })));
  const commit = async (id: string) => presentJob(await commitImport(ctx, id, { wait: true }));
  const hazardsOf = (uscc: string) =>
    t.database.db
      .selectFrom('hazards')
      .innerJoin('enterprises as e', 'e.id', 'hazards.enterprise_id')
      .select(['hazards.description', 'hazards.grade', 'hazards.source', 'hazards.status', 'hazards.found_at', 'hazards.closed_at', 'hazards.district_code'])
      .where('e.uscc', '=', uscc)
      .orderBy('hazards.found_at')
      .execute();

  it('a district registry (.xls, no district column, industry in two columns) creates its enterprises, saying where each district came from; again, it changes nothing', async () => {
    const job = await preview('enterprises', fixture('district-registry.xls'));
    expect(job.layout).toMatchObject({ format: 'xls', sheet: '企业名录', sheetChosenBy: 'only', headerRow: 1, missing: [] });
    expect(job.counts).toMatchObject({ create: 3, error: 0, total: 3 });
    expect(job.counts!.inferred).toEqual(
      expect.arrayContaining([
        { column: '所属区', source: '街道/乡镇列', count: 2, rows: [2, 3] },
        { column: '所属区', source: '导入人所在区', count: 1, rows: [4] },
      ]),
    );
    expect((await commit(job.id)).status).toBe('committed');
    const stored = await t.database.db.selectFrom('enterprises').select(['uscc', 'district_code', 'industry_code', 'principal_phone']).where('uscc', 'in', Object.values(USCC)).orderBy('uscc').execute();
    expect(stored).toEqual([
      { uscc: USCC.machinery, district_code: '310115', industry_code: '34', principal_phone: '13800001001' },
      { uscc: USCC.logistics, district_code: '310115', industry_code: '59', principal_phone: '13800001002' },
      { uscc: USCC.chemicals, district_code: '310115', industry_code: '26', principal_phone: '021-58880003' },
    ]);
    expect((await preview('enterprises', fixture('district-registry.xls'))).counts).toMatchObject({ create: 0, update: 0, unchanged: 3, error: 0 });
  });

  it('an industry written as its section alone, or as a word that is no classification, is offered for mapping and imports once mapped', async () => {
    const code = (body: string) => body + usccCheckChar(body);
    const rows = [
      ['统一社会信用代码', '企业名称', '行业', '法定代表人'],
      [code('91310115FX0000201'), '上海门类甲有限公司', '制造业', '李一'],
      [code('91310115FX0000202'), '上海门类乙有限公司', '精密机械', '李二'],
      [code('91310115FX0000203'), '上海门类丙有限公司', '精密机械', '李三'],
    ];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '名录');
    const file = { name: '门类名录.xlsx', content: xlsxOf(wb) };
    const asked = await preview('enterprises', file);
    expect(asked.counts).toMatchObject({ create: 0, error: 3 });
    const industry = asked.layout!.unknownValues.find((u) => u.field === 'industry')!;
    expect(industry.values).toEqual([
      { value: '精密机械', count: 2 },
      { value: '制造业', count: 1 },
    ]);
    expect(industry.allowed).toContainEqual({ value: '34', label: '34 通用设备制造业' });
    const mapped = presentJob(await findJob(ctx, await startImport(ctx, 'enterprises', file, { wait: true, mapping: { values: { industry: { 精密机械: '34', 制造业: '35' } } } })));
    expect(mapped.counts).toMatchObject({ create: 3, error: 0 });
    expect(await commit(mapped.id)).toMatchObject({ status: 'committed' });
    const stored = await t.database.db.selectFrom('enterprises').select(['name', 'industry_code']).where('name', 'like', '上海门类%').orderBy('name').execute();
    expect(stored.map((e) => e.industry_code).sort()).toEqual(['34', '34', '35']);
  });

  it('the ledger (.xlsx by another writer): title block, merged enterprise, credit code by content, words, date forms, hidden column and row, totals row, notes sheet', async () => {
    const job = await preview('hazards', fixture('district-ledger.xlsx'));
    const layout = job.layout as ImportLayout;
    expect(layout).toMatchObject({ format: 'xlsx', sheet: '隐患台账', sheets: ['隐患台账', '填表说明'], headerRow: 3, missing: [], hiddenRows: 1, skipped: { totals: 1, totalsRows: [11] }, savedMapping: null });
    const byLetter = Object.fromEntries(layout.columns.map((c) => [c.letter, c]));
    expect(byLetter.B).toMatchObject({ title: '企业名称', field: 'enterpriseName', by: 'title' });
    expect(byLetter.C).toMatchObject({ title: '证照号码', field: 'uscc', by: 'content' });
    expect(byLetter.G).toMatchObject({ title: '发现日期', field: 'foundAt', by: 'title' });
    expect(byLetter.J).toMatchObject({ title: '内部备注', field: null, hidden: true });
    expect(job.counts).toMatchObject({ create: 6, update: 0, unchanged: 0, error: 0, total: 6 });
    expect((await commit(job.id)).status).toBe('committed');

    const day = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
    expect(await hazardsOf(USCC.machinery)).toEqual([
      { description: '消防通道堆放杂物', grade: 'general', source: 'tip', status: 'closed', found_at: day('2026-03-02'), closed_at: day('2026-03-10'), district_code: '310115' },
      { description: '配电箱未可靠接地', grade: 'general', source: 'enforcement_inspection', status: 'rectifying', found_at: day('2026-03-05'), closed_at: null, district_code: '310115' },
      { description: '应急照明损坏', grade: 'general', source: 'tip', status: 'reported', found_at: day('2026-03-06'), closed_at: null, district_code: '310115' },
    ]);
    expect(await hazardsOf(USCC.logistics)).toMatchObject([{ source: 'enforcement_inspection', status: 'closed', found_at: day('2026-03-07'), closed_at: day('2026-03-20') }]);
    expect(await hazardsOf(USCC.chemicals)).toMatchObject([
      { description: '危化品仓库通风不良', source: 'self_check', status: 'closed', found_at: day('2026-03-08'), closed_at: day('2026-03-25') },
      { description: '员工未佩戴劳动防护用品', source: 'enforcement_inspection', status: 'rectifying', found_at: Date.parse('2026-03-09T14:30:00+08:00') },
    ]);

    // The same file again, and the same ledger as legacy .xls and as GBK .csv: nothing new, nothing changed.
    for (const name of ['district-ledger.xlsx', 'district-ledger.xls', 'district-ledger-gbk.csv']) {
      const again = await preview('hazards', fixture(name));
      expect(again.counts, name).toMatchObject({ create: 0, update: 0, unchanged: 6, error: 0 });
      expect(again.layout!.skipped.totals, name).toBe(1);
    }
    const csv = await preview('hazards', fixture('district-ledger-gbk.csv'));
    expect(csv.layout).toMatchObject({ format: 'csv', encoding: 'gb18030', headerRow: 1 });
    expect(csv.layout!.columns.find((c) => c.letter === 'B')!.samples[0]).toBe(NAMES.machinery);
  });

  it('picks the ledger sheet by its header when notes come first, and reads the sheet the user names', async () => {
    const notesFirst = { name: '台账（说明在前）.xlsx', content: xlsxOf(ledgerBook({ notesFirst: true })) };
    const chosen = await preview('hazards', notesFirst);
    expect(chosen.layout).toMatchObject({ sheet: '隐患台账', sheets: ['填表说明', '隐患台账'], sheetChosenBy: 'header', headerRow: 3 });
    expect(chosen.counts).toMatchObject({ unchanged: 6, error: 0 });
    const id = await startImport(ctx, 'hazards', notesFirst, { wait: true, mapping: { sheet: '没有这个表' } });
    expect(await findJob(ctx, id)).toMatchObject({ status: 'failed', message: '文件中没有名为「没有这个表」的工作表（有：填表说明、隐患台账）' });
    // The notes hold no table at all: said so, not guessed at.
    const notes = presentJob(await findJob(ctx, await startImport(ctx, 'hazards', notesFirst, { wait: true, mapping: { sheet: '填表说明' } })));
    expect(notes).toMatchObject({ status: 'failed', message: expect.stringMatching(/^未找到表头/) });
    const ledger = presentJob(await findJob(ctx, await startImport(ctx, 'hazards', notesFirst, { wait: true, mapping: { sheet: '隐患台账' } })));
    expect(ledger).toMatchObject({ layout: { sheet: '隐患台账', sheetChosenBy: 'user' }, counts: { unchanged: 6 } });
  });

  it('a file whose titles match nothing: the preview asks, the user maps columns and values, saves the mapping; the next file with that header is mapped without asking — for that office only', async () => {
    const pudong = await t.login('pudong');
    const poll = async (cookie: string, id: string) => {
      for (let i = 0; i < 100; i++) {
        const job = (await t.as(cookie, { method: 'GET', url: `/api/imports/${id}` })).json();
        if (job.status !== 'previewing' && job.status !== 'committing') return job;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('import did not settle');
    };
    const upload = async (cookie: string, descriptions: string[]) => {
      const mp = multipart('file', '物流台账.xlsx', xlsxOf(unknownHeadersBook(descriptions)));
      const res = await t.as(cookie, { method: 'POST', url: '/api/imports?kind=hazards', payload: mp.payload, headers: mp.headers });
      expect(res.statusCode).toBe(202);
      return poll(cookie, res.json().id);
    };
    const first = await upload(pudong, ['仓库货架超高堆放', '动火作业未办审批', '消防栓被遮挡']);
    expect(first).toMatchObject({ status: 'previewed', needsMapping: true, counts: { total: 0 } });
    expect(first.layout.missing).toEqual(expect.arrayContaining(['enterpriseName|uscc', 'description']));
    expect(first.layout.columns.map((c: { title: string }) => c.title)).toEqual(['单位', '问题摘要', '时间点', '类别等级']);
    // 时间点 holds dates under a title with 时间: read as the date found, by content.
    expect(first.layout.columns[2]).toMatchObject({ field: 'foundAt', by: 'content' });
    const refused = await t.as(pudong, { method: 'POST', url: `/api/imports/${first.id}/commit` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'MAPPING_REQUIRED' });

    // Columns mapped; the grade word B级 is not understood: the preview lists it with what it may mean.
    const columnsOnly = { columns: UNKNOWN_MAPPING.columns };
    let res = await t.as(pudong, { method: 'POST', url: `/api/imports/${first.id}/preview`, payload: { mapping: columnsOnly } });
    expect(res.statusCode).toBe(202);
    let job = await poll(pudong, first.id);
    expect(job).toMatchObject({ needsMapping: false, counts: { create: 0, error: 3 } });
    expect(job.layout.unknownValues).toEqual([{ field: 'grade', column: '隐患级别', values: [{ value: 'B级', count: 3 }], allowed: expect.arrayContaining([{ value: 'general', label: '一般隐患' }]) }]);
    expect(job.layout.columns.map((c: { by: string }) => c.by)).toEqual(['mapping', 'mapping', 'mapping', 'mapping']);

    // Bad mappings are refused with field-level messages.
    const bad = await t.as(pudong, { method: 'POST', url: `/api/imports/${first.id}/preview`, payload: { mapping: { columns: { 单位: 'no such field!' } } } });
    expect(bad.statusCode).toBe(400);

    res = await t.as(pudong, { method: 'POST', url: `/api/imports/${first.id}/preview`, payload: { mapping: UNKNOWN_MAPPING, saveAs: '浦东物流台账' } });
    expect(res.statusCode).toBe(202);
    job = await poll(pudong, first.id);
    expect(job).toMatchObject({ needsMapping: false, counts: { create: 3, error: 0 }, layout: { unknownValues: [] } });
    res = await t.as(pudong, { method: 'POST', url: `/api/imports/${first.id}/commit` });
    expect((await poll(pudong, first.id)).status).toBe('committed');
    expect((await hazardsOf(USCC.logistics)).map((h) => h.description)).toEqual(expect.arrayContaining(['仓库货架超高堆放', '动火作业未办审批', '消防栓被遮挡']));

    const second = await upload(pudong, ['配电房门未上锁', '安全出口指示灯不亮']);
    expect(second).toMatchObject({ needsMapping: false, counts: { create: 2, error: 0 }, layout: { savedMapping: { name: '浦东物流台账' } } });
    const saved = (await t.as(pudong, { method: 'GET', url: '/api/import-mappings?kind=hazards' })).json().items;
    expect(saved).toMatchObject([{ name: '浦东物流台账', kind: 'hazards', mapping: UNKNOWN_MAPPING }]);

    // Another district's office has its own mappings: it is asked, and cannot delete Pudong's.
    const huangpu = await t.login('huangpu');
    expect((await upload(huangpu, ['某隐患'])).needsMapping).toBe(true);
    expect((await t.as(huangpu, { method: 'GET', url: '/api/import-mappings' })).json().items).toEqual([]);
    expect((await t.as(huangpu, { method: 'DELETE', url: `/api/import-mappings/${saved[0].id}` })).statusCode).toBe(404);
    expect((await t.as(huangpu, { method: 'POST', url: `/api/imports/${second.id}/preview`, payload: { mapping: UNKNOWN_MAPPING } })).statusCode).toBe(404);
    expect((await t.as(pudong, { method: 'DELETE', url: `/api/import-mappings/${saved[0].id}` })).statusCode).toBe(204);
    expect((await upload(pudong, ['再一条'])).needsMapping).toBe(true);
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('action', 'in', ['import.mapped', 'import_mapping.saved', 'import_mapping.deleted']).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['import.mapped', 'import.mapped', 'import_mapping.deleted', 'import_mapping.saved']);
  });

  it('enterprises a ledger names that are not registered: errors until the user ticks “create”, then registered once each, audited, in scope only', async () => {
    const code = (body: string) => body + usccCheckChar(body);
    const a = code('91310115FX0000101');
    const b = code('91310115FX0000102');
    const outside = code('91310101FX0000103');
    const rows = [
      ['企业名称', '统一社会信用代码', '所属区', '行业', '企业地址', '隐患描述', '发现时间'],
      ['上海新登记甲有限公司', a, '', 'C34', '浦东新区新登路1号', '砂轮机防护罩缺失', '2026-03-01'],
      ['上海新登记甲有限公司', a, '', 'C34', '浦东新区新登路1号', '行车限位失灵', '2026-03-02'],
      ['上海新登记乙有限公司', b, '', '通用设备制造业', '', '油漆间未设防爆灯具', '2026-03-03'],
      ['上海黄浦新公司', outside, '黄浦区', '52', '', '货架倾斜', '2026-03-04'],
      ['上海无代码公司', '91310115XXXXXXXXXX', '', '34', '', '安全出口上锁', '2026-03-05'],
    ];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '台账');
    const file = { name: '新企业台账.xlsx', content: xlsxOf(wb) };
    const first = await preview('hazards', file);
    expect(first.counts).toMatchObject({ create: 0, error: 5 });
    expect(first.layout).toMatchObject({ unregistered: 2, newEnterprises: { count: 0 } });
    const errorsOf = async (id: string) =>
      Object.fromEntries((await t.database.db.selectFrom('import_rows').select(['row_number', 'errors_json']).where('job_id', '=', id).where('action', '=', 'error').execute()).map((r) => [r.row_number, JSON.parse(r.errors_json!)[0].message as string]));
    expect(await errorsOf(first.id)).toEqual({
      2: expect.stringMatching(/^企业尚未登记：上海新登记甲有限公司.*勾选“新建未登记的企业”/),
      3: expect.stringMatching(/^企业尚未登记：上海新登记甲有限公司/),
      4: expect.stringMatching(/^企业尚未登记：上海新登记乙有限公司/),
      5: expect.stringMatching(/^企业尚未登记，且不在您的管辖范围内/),
      6: expect.stringMatching(/^企业不存在或不在您的管辖范围内/),
    });

    const ticked = presentJob(await findJob(ctx, await startImport(ctx, 'hazards', file, { wait: true, mapping: { createEnterprises: true } })));
    expect(ticked.counts).toMatchObject({ create: 3, error: 2 });
    expect(ticked.layout!.newEnterprises).toEqual({ count: 2, items: [{ uscc: a, name: '上海新登记甲有限公司' }, { uscc: b, name: '上海新登记乙有限公司' }] });
    expect((await commit(ticked.id)).status).toBe('committed');
    const made = await t.database.db.selectFrom('enterprises').select(['id', 'uscc', 'district_code', 'industry_code', 'address', 'created_by']).where('uscc', 'in', [a, b, outside]).orderBy('uscc').execute();
    expect(made).toMatchObject([
      { uscc: a, district_code: '310115', industry_code: '34', address: '浦东新区新登路1号', created_by: ctx.actor.userId },
      { uscc: b, district_code: '310115', industry_code: '34', address: '' },
    ]);
    expect(await hazardsOf(a)).toHaveLength(2);
    expect(await hazardsOf(b)).toHaveLength(1);
    const audited = await t.database.db.selectFrom('audit_log').select(['entity_id', 'after_json']).where('action', '=', 'enterprise.created').where('entity_id', 'in', made.map((m) => m.id)).execute();
    expect(audited).toHaveLength(2);
    expect(JSON.parse(audited[0].after_json!).from).toMatchObject({ importJob: ticked.id, file: '新企业台账.xlsx' });
    // Registered now: the same file again changes nothing, ticked or not.
    expect((await preview('hazards', file)).counts).toMatchObject({ create: 0, unchanged: 3, error: 2 });
  });
});

describe('mappings from the command line (SQLite)', () => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(tmpdir(), 'zhiben-cli-map-'));
  beforeAll(async () => {
    t = await createTestApp('sqlite', { demo: true, demoCount: 20 });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../../../scripts/zhiben.ts'), ...args], {
      env: { PATH: process.env.PATH, ...t.database.env, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });

  it('prints the mapping a preview settled, takes one with --mapping, and refuses a bad one', () => {
    expect(cli('import', 'enterprises', path.join(FIXTURES, 'district-registry.xls'), '--as', 'pudong', '--commit').status).toBe(0);
    const file = path.join(FIXTURES, 'unknown-headers.xlsx');
    const asked = cli('import', 'hazards', file, '--as', 'pudong', '--print-mapping');
    expect(asked.status).toBe(1);
    expect(asked.stderr).toMatch(/需要映射 Mapping needed: 缺少必填列/);
    const printed = JSON.parse(asked.stdout.slice(asked.stdout.indexOf('{'), asked.stdout.lastIndexOf('}') + 1));
    expect(printed).toEqual({ sheet: 'Sheet1', columns: { 单位: '', 问题摘要: '', 时间点: 'foundAt', 类别等级: '' } });
    const badFile = path.join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ columns: { 单位: 42 } }));
    const bad = cli('import', 'hazards', file, '--as', 'pudong', '--mapping', badFile);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/映射文件无效 Invalid mapping file: columns\.单位/);
    const done = cli('import', 'hazards', file, '--as', 'pudong', '--mapping', path.join(FIXTURES, 'unknown-headers.mapping.json'), '--commit');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/create 3, update 0, unchanged 0, errors 0/);
    expect(done.stdout).toMatch(/A「单位」→ enterpriseName \(by mapping\)/);
    expect(done.stdout).toMatch(/Imported: 3 rows written/);
  });

  it('applies the mapping the office saved on the web to the next file with the same header', async () => {
    const pudong = await t.login('pudong');
    const ctx = await t.ctxFor('pudong');
    const first = await startImport(ctx, 'hazards', { name: '网页.xlsx', content: xlsxOf(unknownHeadersBook(['网页导入的隐患'])) }, { wait: true });
    const res = await t.as(pudong, { method: 'POST', url: `/api/imports/${first}/preview`, payload: { mapping: UNKNOWN_MAPPING, saveAs: '物流台账（网页保存）' } });
    expect(res.statusCode).toBe(202);
    const file = path.join(dir, 'next.xlsx');
    writeFileSync(file, xlsxOf(unknownHeadersBook(['命令行套用映射一', '命令行套用映射二'])));
    const run = cli('import', 'hazards', file, '--as', 'pudong', '--commit');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/已套用映射 saved mapping「物流台账（网页保存）」/);
    expect(run.stdout).toMatch(/create 2, update 0, unchanged 0, errors 0/);
  });
});
