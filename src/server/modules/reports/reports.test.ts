import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromUser } from '../../auth/actor';
import { DIALECTS, PNG_1x1, createTestApp, multipart, type TestApp } from '../../test/harness';
import { buildMonthlyReport } from './monthly';

async function documentXml(buf: Buffer): Promise<{ xml: string; zip: JSZip }> {
  const zip = await JSZip.loadAsync(buf);
  return { xml: await zip.file('word/document.xml')!.async('string'), zip };
}
const text = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

describe.each(DIALECTS)('official Word documents on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 300, demoHazards: 4000 });
  });
  afterAll(() => t?.close());

  it('issues a rectification notice for a hazard: office, enterprise, hazard, clauses, deadline, number, Chinese fonts', async () => {
    const pudong = await t.login('pudong');
    const major = (await t.as(pudong, { method: 'GET', url: '/api/hazards?grade=major&status=rectifying&pageSize=1' })).json().items[0];
    expect(major).toBeDefined();
    const detail = (await t.as(pudong, { method: 'GET', url: `/api/hazards/${major.id}` })).json();
    const res = await t.as(pudong, { method: 'GET', url: `/api/hazards/${major.id}/notice.docx` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/wordprocessingml/);
    const { xml } = await documentXml(res.rawPayload);
    const body = text(xml);
    expect(body).toContain('浦东新区安全生产委员会办公室');
    expect(body).toContain('安全生产事故隐患整改通知书');
    expect(body).toContain(`${detail.enterpriseName}：`);
    expect(body).toContain(detail.description);
    expect(body).toContain(detail.clauses[0].text);
    const [y, m, d] = detail.deadline.split('-').map(Number);
    expect(body).toContain(`于${y}年${m}月${d}日前完成整改`);
    expect(body).toMatch(/浦东新区隐改〔\d{4}〕\d+号/);
    expect(body).toContain('五到位');
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect((await t.as(await t.login('huangpu'), { method: 'GET', url: `/api/hazards/${major.id}/notice.docx` })).statusCode).toBe(404);
    // Only a hazard under rectification gets a notice: not one fixed on the spot, closed, or not yet assigned.
    const ent = (await t.as(pudong, { method: 'GET', url: '/api/enterprises?pageSize=1' })).json().items[0];
    const found = (
      await t.as(pudong, { method: 'POST', url: '/api/hazards', payload: { enterpriseId: ent.id, description: '通道堆放杂物（通知书测试）', location: '仓库', grade: 'general', source: 'routine_inspection', foundAt: new Date().toISOString() } })
    ).json();
    const refuse = async (id: string, why: string) => {
      const refused = await t.as(pudong, { method: 'GET', url: `/api/hazards/${id}/notice.docx` });
      expect(refused.statusCode, why).toBe(409);
      expect(refused.json().detail, why).toMatch(/只有整改中或待验收的隐患可出具整改通知书/);
    };
    await refuse(found.id, 'not yet assigned');
    const mp = multipart('file', 'p.png', PNG_1x1, 'image/png');
    const photo = (await t.as(pudong, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json().id;
    expect((await t.as(pudong, { method: 'POST', url: `/api/hazards/${found.id}/actions/fix_on_spot`, payload: { version: 1, note: '当场清理', attachmentIds: [photo] } })).statusCode).toBe(200);
    await refuse(found.id, 'fixed on the spot');
  });

  it('keeps a past month’s report as it was: later steps, transfers, voids and late records change none of it', async () => {
    const pudong = await t.login('pudong');
    const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'pudong').executeTakeFirstOrThrow();
    const ctx = { ...t.ctx, actor: await actorFromUser(t.database.db, user, 'session') };
    const now = new Date();
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)).toISOString().slice(0, 7);
    const [yy, mm] = month.split('-').map(Number);
    const monthEnd = new Date(Date.UTC(yy, mm, 1) - 8 * 3_600_000).toISOString();
    const before = await buildMonthlyReport(ctx, '310115', month);
    expect(before.report.figures.openAtEnd).toBeGreaterThan(0);

    // Hazards that were open at that month's end and are open now.
    const open = await t.database.db
      .selectFrom('hazards')
      .select(['id', 'version', 'status', 'grade', 'deadline'])
      .where('district_code', '=', '310115')
      .where('found_at', '<', Date.parse(monthEnd))
      .where('status', 'in', ['rectifying', 'pending_acceptance'])
      .where('grade', '=', 'general')
      .orderBy('id')
      .limit(4)
      .execute();
    expect(open.length).toBe(4);
    const act = async (id: string, action: string, body: Record<string, unknown>) => {
      const res = await t.as(pudong, { method: 'POST', url: `/api/hazards/${id}/actions/${action}`, payload: body });
      expect(res.statusCode, res.body).toBe(200);
    };
    await act(open[0].id, 'void', { version: open[0].version, reason: '重复登记（测试）' });
    await act(open[1].id, 'transfer', { version: open[1].version, districtCode: '310101', reason: '属地调整（测试）' });
    await act(open[2].id, 'extend', { version: open[2].version, deadline: '2099-12-31', reason: '延期（测试）' });
    if (open[3].status === 'pending_acceptance') await act(open[3].id, 'accept', { version: open[3].version, note: '验收合格（测试）' });
    else await act(open[3].id, 'void', { version: open[3].version, reason: '误录（测试）' });
    // A hazard recorded now but found in that month.
    const ent = (await t.as(pudong, { method: 'GET', url: '/api/enterprises?pageSize=1' })).json().items[0];
    const late = await t.as(pudong, {
      method: 'POST',
      url: '/api/hazards',
      payload: { enterpriseId: ent.id, description: '补录的上月隐患（测试）', location: '仓库', grade: 'general', source: 'routine_inspection', foundAt: `${month}-15T10:00:00+08:00` },
    });
    expect(late.statusCode).toBe(201);
    // Counted from the ledger as it is now, the month looks different…
    const lastDay = new Date(Date.UTC(yy, mm, 0)).toISOString().slice(0, 10);
    const foundNow = (await t.as(pudong, { method: 'GET', url: `/api/hazards?districtCode=310115&foundFrom=${month}-01&foundTo=${lastDay}&pageSize=1` })).json().total;
    expect(foundNow).toBe(before.report.figures.found + 1);
    // …but the report of that month is the same, document included (but for the day it was generated).
    const after = await buildMonthlyReport(ctx, '310115', month);
    expect(after.report).toEqual(before.report);
    const strip = (x: string) => x.replace(/生成日期：[^<]*/, '');
    expect(strip(text((await documentXml(after.file)).xml))).toBe(strip(text((await documentXml(before.file)).xml)));
  });

  it('writes the monthly district report with figures that match the ledger, comparisons, lists and a chart', async () => {
    const pudong = await t.login('pudong');
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const month = last.toISOString().slice(0, 7);
    const res = await t.as(pudong, { method: 'GET', url: `/api/reports/district-monthly.docx?district=310115&month=${month}` });
    expect(res.statusCode).toBe(200);
    const { xml, zip } = await documentXml(res.rawPayload);
    const body = text(xml);
    expect(body).toContain('浦东新区安全生产区情月报');
    expect(body).toContain('未销号隐患最多的企业（前十）');
    expect(body).toContain('逾期未整改的重大事故隐患');
    // The chart: an SVG with its axis, values and every month named, and a PNG for older readers.
    expect(Object.keys(zip.files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);
    const svgFile = Object.keys(zip.files).find((f) => /^word\/media\/.+\.svg$/.test(f));
    expect(svgFile).toBeDefined();
    const svg = await zip.file(svgFile!)!.async('string');
    const labels = [...svg.matchAll(/<text class="category"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toHaveLength(12);
    expect(labels[11]).toBe(month);
    expect(svg).toContain('隐患数（项）');
    expect(svg.match(/<text class="tick"/g)!.length).toBeGreaterThanOrEqual(5);
    expect(body).toContain('本月销号隐患用时中位数（天）');
    expect(body).not.toContain('平均用时');

    const user = await t.database.db.selectFrom('users').selectAll().where('username', '=', 'pudong').executeTakeFirstOrThrow();
    const ctx = { ...t.ctx, actor: await actorFromUser(t.database.db, user, 'session') };
    const { report } = await buildMonthlyReport(ctx, '310115', month);
    const [yy, mm] = month.split('-').map(Number);
    const lastDay = new Date(Date.UTC(yy, mm, 0)).toISOString().slice(0, 10);
    const found = (await t.as(pudong, { method: 'GET', url: `/api/hazards?districtCode=310115&foundFrom=${month}-01&foundTo=${lastDay}&pageSize=1` })).json().total;
    expect(report.figures.found).toBe(found);
    expect(body).toContain(`本月浦东新区共发现事故隐患${found}项`);
    expect(report.trend).toHaveLength(12);
    expect(report.trend[11].found).toBe(found);
    expect(report.topEnterprises.length).toBeLessThanOrEqual(10);
    expect(report.asOf).toBe(lastDay);
    expect(body).toContain(`截至${yy}年${mm}月${Number(lastDay.slice(8))}日24时`);

    // Section six: the month's accidents against the same month last year, and the year so far; section seven: the other work.
    const acc = (occurredAt: string, deaths: number) => t.as(pudong, { method: 'POST', url: '/api/accidents', payload: { occurredAt, districtCode: '310115', category: '物体打击', deaths, seriousInjuries: 1, directLossYuan: 50_000, narrative: '高处物料坠落击中地面作业人员。' } });
    const made = (await acc(`${month}-15T02:00:00.000Z`, 1)).json();
    await acc(`${yy - 1}-${String(mm).padStart(2, '0')}-10T02:00:00.000Z`, 2);
    const again = await buildMonthlyReport(ctx, '310115', month);
    const listed = (await t.as(pudong, { method: 'GET', url: `/api/accidents?districtCode=310115&from=${month}-01&to=${lastDay}` })).json();
    expect(again.report.accidents.month).toMatchObject({ accidents: listed.total, deaths: 1, seriousInjuries: 1, lossYuan: 50_000 });
    expect(again.report.accidents.lastYearMonth).toMatchObject({ accidents: 1, deaths: 2 });
    expect(again.report.accidents.list.map((a) => a.code)).toEqual([made.code]);
    const body2 = text((await documentXml(again.file)).xml);
    expect(body2).toContain('六、生产安全事故');
    expect(body2).toContain(`本月发生生产安全事故${listed.total}起，死亡1人`);
    expect(body2).toContain(made.code);
    expect(body2).toContain('七、其他工作');
    expect(again.report.work.selfChecksDue).toBeGreaterThanOrEqual(again.report.work.selfChecksOnTime);
    // Section eight: the district's risk items by level as the register lists them.
    await t.as(pudong, { method: 'POST', url: '/api/risks', payload: { name: '月报测试风险', type: '火灾', districtCode: '310115', method: 'lec', inputs: { l: 10, e: 6, c: 7 } } });
    const third = await buildMonthlyReport(ctx, '310115', month);
    const reds = (await t.as(pudong, { method: 'GET', url: '/api/risks?districtCode=310115&level=red&pageSize=1' })).json().total;
    const all = (await t.as(pudong, { method: 'GET', url: '/api/risks?districtCode=310115&pageSize=1' })).json().total;
    expect(third.report.risks.red).toBe(reds);
    const body3 = text((await documentXml(third.file)).xml);
    expect(body3).toContain(`八、风险与人员`);
    expect(body3).toContain(`本区城市安全风险清单共${all}项，其中重大风险${reds}项`);

    expect((await t.as(pudong, { method: 'GET', url: `/api/reports/district-monthly.docx?district=310101&month=${month}` })).statusCode).toBe(404);
    expect((await t.as(await t.login('ent-pd'), { method: 'GET', url: `/api/reports/district-monthly.docx?district=310115&month=${month}` })).statusCode).toBe(403);
    expect((await t.as(pudong, { method: 'GET', url: '/api/reports/district-monthly.docx?district=310115&month=2026-13' })).statusCode).toBe(400);
  });
});
