import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../shared/uscc';
import { actorFromUser } from '../../auth/actor';
import type { ActorCtx } from '../../context';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';
import { HazardQuery } from '../../../shared/contracts/hazards';
import { listHazards } from '../hazards/repository';
import { commitImport, findJob, startImport } from './jobs';
import { buildTemplate } from './templates';

let n = 0;
const code = (district: string) => {
  const body = `91${district}MD${String(++n).padStart(7, '0')}`;
  return body + usccCheckChar(body);
};

describe.each(DIALECTS)('enterprise registry import on %s', (dialect) => {
  let t: TestApp;
  let ctx: ActorCtx;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 50, demoHazards: 300 });
    const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'pudong').executeTakeFirstOrThrow();
    ctx = { ...t.ctx, actor: await actorFromUser(t.database.db, user, 'session') };
  });
  afterAll(() => t?.close());

  /** Fills the downloadable template the way a clerk would. */
  async function filledTemplate(rows: unknown[][]) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildTemplate(t.database.db, 'enterprises')) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    rows.forEach((r, i) => ws.getRow(i + 2).values = r as ExcelJS.CellValue[]);
    return { name: '企业名录.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) };
  }

  it('imports the filled template: creates, updates, leaves unchanged, and reports each bad row; re-import adds nothing', async () => {
    const known = await t.database.db.selectFrom('enterprises').selectAll().where('district_code', '=', '310115').orderBy('id').limit(2).execute();
    const a = code('310115');
    const b = code('310115');
    const fullWidth = code('310115');
    const rows = [
      [a, '上海导入测试机械有限公司', '浦东新区测试路1号', '浦东新区', '陆家嘴街道', '34', '王一', '13800000001', '', '', '较大', '三级'],
      [b, '上海导入测试物流有限公司', '浦东新区测试路2号', '浦东新区', '', '装卸搬运和仓储业', '王二', '', '', '', '', ''],
      [fullWidth.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)), '上海全角代码有限公司', '某路3号', '浦东新区', '', '52', '王三', '', '', '', '', ''],
      ['91310115MA1H8R7C6D', '校验位错误公司', '某路', '浦东新区', '', '34', '王四', '', '', '', '', ''],
      [code('310115'), '街道不符公司', '某路', '浦东新区', '南京东路街道', '34', '王五', '', '', '', '', ''],
      [code('310101'), '黄浦区的公司', '某路', '黄浦区', '', '51', '王六', '', '', '', '', ''],
      [known[0].uscc, known[0].name, known[0].address, '浦东新区', '', known[0].industry_code, '新负责人', '', '', '', '', ''],
      [known[1].uscc, known[1].name, known[1].address, '浦东新区', '', known[1].industry_code, known[1].principal_name, '', '', '', '', ''],
      [a, '重复的行', '某路', '浦东新区', '', '34', '王七', '', '', '', '', ''],
    ];
    const id = await startImport(ctx, 'enterprises', await filledTemplate(rows), { wait: true });
    const job = await findJob(ctx, id);
    expect(job.status).toBe('previewed');
    expect(JSON.parse(job.counts_json!)).toEqual({ create: 3, update: 1, unchanged: 1, error: 4, total: 9, cleaned: 0, cleanedRows: [], inferred: [] });
    const errors = await t.database.db.selectFrom('import_rows').select(['row_number', 'errors_json']).where('job_id', '=', id).where('action', '=', 'error').orderBy('row_number').execute();
    const msg = (row: number) => JSON.parse(errors.find((e) => e.row_number === row)!.errors_json!)[0].message as string;
    expect(msg(5)).toMatch(/校验位/);
    expect(msg(6)).toMatch(/所属区不一致：区列为浦东新区，街道\/乡镇列为黄浦区/);
    expect(msg(7)).toMatch(/不在您的管辖范围内/);
    expect(msg(10)).toMatch(/与第 2 行重复/);

    await commitImport(ctx, id, { wait: true });
    const created = await t.database.db.selectFrom('enterprises').selectAll().where('uscc', 'in', [a, b, fullWidth]).execute();
    expect(created).toHaveLength(3);
    expect(created.find((e) => e.uscc === a)).toMatchObject({ street_code: '310115005', industry_code: '34', risk_class: 'high', standardization_level: 'level3' });
    expect(created.find((e) => e.uscc === b)!.industry_code).toBe('59');
    expect((await t.database.db.selectFrom('enterprises').select('principal_name').where('id', '=', known[0].id).executeTakeFirstOrThrow()).principal_name).toBe('新负责人');

    const again = await startImport(ctx, 'enterprises', await filledTemplate(rows), { wait: true });
    expect(JSON.parse((await findJob(ctx, again)).counts_json!)).toMatchObject({ create: 0, update: 0, unchanged: 5 });
  });

  it('a renamed enterprise is found by its new name in the ledger search, through all its hazards', async () => {
    const [withHazards] = await t.database.db
      .selectFrom('enterprises')
      .innerJoin('hazards', 'hazards.enterprise_id', 'enterprises.id')
      .select(['enterprises.id', 'enterprises.uscc', 'enterprises.address', 'enterprises.industry_code', 'enterprises.principal_name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('enterprises.district_code', '=', '310115')
      .groupBy(['enterprises.id', 'enterprises.uscc', 'enterprises.address', 'enterprises.industry_code', 'enterprises.principal_name'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(withHazards).toBeDefined();
    const name = '上海改名后的测试企业有限公司';
    const id = await startImport(ctx, 'enterprises', await filledTemplate([[withHazards.uscc, name, withHazards.address, '浦东新区', '', withHazards.industry_code, withHazards.principal_name, '', '', '', '', '']]), { wait: true });
    expect(JSON.parse((await findJob(ctx, id)).counts_json!)).toMatchObject({ update: 1, error: 0 });
    expect((await commitImport(ctx, id, { wait: true })).status).toBe('committed');
    const e = await t.database.db.selectFrom('enterprises').selectAll().where('id', '=', withHazards.id).executeTakeFirstOrThrow();
    expect(e).toMatchObject({ name, address: withHazards.address });
    const found = await listHazards(t.database.db, dialect, ctx.actor, HazardQuery.parse({ q: '改名后的测试', pageSize: 100 }), ctx.now());
    expect(found.total).toBe(Number(withHazards.n));
    expect(new Set(found.rows.map((r) => r.enterprise_id))).toEqual(new Set([withHazards.id]));
  });

  it('takes a district’s own registry as it is: no district column, the industry in two columns — and says what it inferred', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名录');
    ws.addRow(['浦东新区重点企业名录（2026年）']);
    ws.addRow(['序号', '统一社会信用代码', '企业名称', '详细地址', '街镇', '行业门类', '行业大类', '法定代表人']);
    const rows = [
      [1, code('310115'), '上海两列行业机械有限公司', '浦东新区A路1号', '陆家嘴街道', 'C', '34', '李一'],
      [2, code('310115'), '上海无街道纺织有限公司', '浦东新区A路2号', '', '制造业', '纺织业', '李二'],
      [3, code('310115'), '上海门类不符餐饮有限公司', '浦东新区A路3号', '', 'C', '62', '李三'],
      [4, code('310101'), '上海黄浦街道的公司', '浦东新区A路4号', '外滩街道', 'C', 'C34', '李四'],
      [5, code('310115'), '上海只有门类有限公司', '浦东新区A路5号', '', 'H', '', '李五'],
    ];
    for (const r of rows) ws.addRow(r);
    const file = { name: '浦东企业名录.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) };
    const id = await startImport(ctx, 'enterprises', file, { wait: true });
    const job = await findJob(ctx, id);
    expect(job.status).toBe('previewed');
    const counts = JSON.parse(job.counts_json!);
    expect(counts).toMatchObject({ create: 2, error: 3, total: 5 });
    expect(counts.inferred).toEqual([
      { column: '所属区', source: '街道/乡镇列', count: 1, rows: [3] },
      { column: '所属区', source: '导入人所在区', count: 1, rows: [4] },
    ]);
    const errors = await t.database.db.selectFrom('import_rows').select(['row_number', 'errors_json']).where('job_id', '=', id).where('action', '=', 'error').orderBy('row_number').execute();
    const byRow = Object.fromEntries(errors.map((e) => [e.row_number, JSON.parse(e.errors_json!)[0].message as string]));
    expect(byRow[5]).toBe('行业门类「C 制造业」与大类「62 餐饮业」不符（62 属于门类 H 住宿和餐饮业）');
    expect(byRow[6]).toBe('所属区不一致：街道/乡镇列为黄浦区，导入人所在区为浦东新区');
    expect(byRow[7]).toMatch(/^只填写了行业门类「H 住宿和餐饮业」，请补充两位大类代码/);

    await commitImport(ctx, id, { wait: true });
    const made = await t.database.db.selectFrom('enterprises').select(['name', 'district_code', 'street_code', 'industry_code']).where('name', 'in', ['上海两列行业机械有限公司', '上海无街道纺织有限公司']).orderBy('name').execute();
    expect(made).toEqual([
      { name: '上海两列行业机械有限公司', district_code: '310115', street_code: '310115005', industry_code: '34' },
      { name: '上海无街道纺织有限公司', district_code: '310115', street_code: null, industry_code: '17' },
    ]);
    // The same file again changes nothing.
    const again = await startImport(ctx, 'enterprises', file, { wait: true });
    expect(JSON.parse((await findJob(ctx, again)).counts_json!)).toMatchObject({ create: 0, update: 0, unchanged: 2, error: 3 });
  });

  it('infers a city officer’s row district from the credit code when nothing else tells, inside the officer’s scope', async () => {
    const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'city').executeTakeFirstOrThrow();
    const cityCtx = { ...t.ctx, actor: await actorFromUser(t.database.db, user, 'session') };
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名录');
    ws.addRow(['统一社会信用代码', '企业名称', '地址', '行业代码', '主要负责人']);
    const uscc = code('310104');
    ws.addRow([uscc, '上海按代码推断区的公司', '某路1号', '34', '赵一']);
    const id = await startImport(cityCtx, 'enterprises', { name: 'r.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) }, { wait: true });
    const counts = JSON.parse((await findJob(cityCtx, id)).counts_json!);
    expect(counts).toMatchObject({ create: 1, error: 0 });
    expect(counts.inferred).toEqual([{ column: '所属区', source: '统一社会信用代码中的行政区划', count: 1, rows: [2] }]);
    await commitImport(cityCtx, id, { wait: true });
    expect((await t.database.db.selectFrom('enterprises').select('district_code').where('uscc', '=', uscc).executeTakeFirstOrThrow()).district_code).toBe('310104');
  });

  it('is refused to roles that cannot register enterprises', async () => {
    const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'inspector-pd').executeTakeFirstOrThrow();
    const inspector = { ...t.ctx, actor: await actorFromUser(t.database.db, user, 'session') };
    await expect(startImport(inspector, 'enterprises', await filledTemplate([]))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
