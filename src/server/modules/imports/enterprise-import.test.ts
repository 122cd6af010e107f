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
    expect(JSON.parse(job.counts_json!)).toEqual({ create: 3, update: 1, unchanged: 1, error: 4, total: 9, cleaned: 0, cleanedRows: [] });
    const errors = await t.database.db.selectFrom('import_rows').select(['row_number', 'errors_json']).where('job_id', '=', id).where('action', '=', 'error').orderBy('row_number').execute();
    const msg = (row: number) => JSON.parse(errors.find((e) => e.row_number === row)!.errors_json!)[0].message as string;
    expect(msg(5)).toMatch(/校验位/);
    expect(msg(6)).toMatch(/不属于/);
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

  it('is refused to roles that cannot register enterprises', async () => {
    const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'inspector-pd').executeTakeFirstOrThrow();
    const inspector = { ...t.ctx, actor: await actorFromUser(t.database.db, user, 'session') };
    await expect(startImport(inspector, 'enterprises', await filledTemplate([]))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
