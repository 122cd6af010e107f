import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromUser } from '../../auth/actor';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';
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
    expect(Object.keys(zip.files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);

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
    const openNow = (await t.as(pudong, { method: 'GET', url: '/api/hazards/status-counts?districtCode=310115&grade=major' })).json();
    expect(report.majorOpen).toBe(openNow.reported + openNow.rectifying + openNow.pending_acceptance);

    expect((await t.as(pudong, { method: 'GET', url: `/api/reports/district-monthly.docx?district=310101&month=${month}` })).statusCode).toBe(404);
    expect((await t.as(await t.login('ent-pd'), { method: 'GET', url: `/api/reports/district-monthly.docx?district=310115&month=${month}` })).statusCode).toBe(403);
    expect((await t.as(pudong, { method: 'GET', url: '/api/reports/district-monthly.docx?district=310115&month=2026-13' })).statusCode).toBe(400);
  });
});
