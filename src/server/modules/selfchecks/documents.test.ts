import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, readSheet, type TestApp } from '../../test/harness';
import { periodLabel, roundListExport } from './documents';
import { makeRounds } from './rounds';

const text = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();

describe('self-check period labels', () => {
  it('names each frequency’s period as people read it', () => {
    expect(['2026-12-04', 'W2026-11-30', '2026-12', '2026-Q4', '2026-H1', '2026-H2'].map(periodLabel)).toEqual(['2026年12月4日', '2026年11月30日起当周', '2026年12月', '2026年第四季度', '2026年上半年', '2026年下半年']);
  });
});

/** The quarterly self-check summary (.docx) and the round list (.xlsx) of #14, on both databases, with a clock that moves through the fourth quarter. */
describe.each(DIALECTS)('self-check documents on %s', (dialect) => {
  let t: TestApp;
  let clock = Date.parse('2026-10-05T02:00:00Z'); // 10:00 on 5 October in Shanghai
  const c = {} as Record<'city' | 'pudong' | 'huangpu' | 'ent-pd' | 'ent-hp', string>;
  let entPd: { id: string; name: string; principal_name: string };
  let entHp: string;
  let codes: string[];

  const get = (who: string, url: string) => t.as(who, { method: 'GET', url });
  const post = async (who: string, url: string, payload: unknown, status = 201) => {
    const r = await t.as(who, { method: 'POST', url, payload: payload as object });
    expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
    return r.json();
  };
  const docText = async (who: string, url: string) => {
    const r = await get(who, url);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/wordprocessingml/);
    const xml = await (await JSZip.loadAsync(r.rawPayload)).file('word/document.xml')!.async('string');
    return { xml, body: text(xml), disposition: String(r.headers['content-disposition']) };
  };
  const own = async (status?: string) => (await get(c['ent-pd'], `/api/selfchecks?pageSize=50${status ? `&status=${status}` : ''}`)).json().items as { id: string; period: string; version: number }[];

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 60, now: () => new Date(clock), config: { SESSION_IDLE_MINUTES: 100_000, SESSION_ABSOLUTE_HOURS: 10_000 } });
    for (const u of Object.keys({ city: 1, pudong: 1, huangpu: 1, 'ent-pd': 1, 'ent-hp': 1 }) as (keyof typeof c)[]) c[u] = await t.login(u);
    const db = t.database.db;
    const entOf = (username: string) => db.selectFrom('users').innerJoin('enterprises as e', 'e.id', 'users.enterprise_id').select(['e.id', 'e.name', 'e.principal_name']).where('username', '=', username).executeTakeFirstOrThrow();
    entPd = await entOf('ent-pd');
    entHp = (await entOf('ent-hp')).id;
    const other = (await db.selectFrom('enterprises').select('id').where('district_code', '=', '310115').where('id', '!=', entPd.id).orderBy('id').executeTakeFirstOrThrow()).id;
    const clauseId = (await db.selectFrom('standard_clauses').select('id').where('standard_id', '=', 'gongmao-2023').where('is_lead_in', '=', 0).orderBy('sort').executeTakeFirstOrThrow()).id;
    const checklist = await post(c.pudong, '/api/checklists', {
      title: '浦东新区月度综合自查表',
      items: [
        { text: '粉尘爆炸危险场所是否按规定设置泄爆装置', category: '粉尘防爆', clauseId },
        { text: '疏散通道是否畅通', category: '消防' },
        { text: '配电箱是否接地', category: '用电' },
      ],
    });
    const items = (checklist.items as { id: string }[]).map((i) => i.id);
    await post(c.pudong, '/api/selfcheck-schedules', { checklistId: checklist.id, enterpriseIds: [entPd.id, other], frequency: 'monthly', startDate: '2026-10-01' });
    const hp = await post(c.huangpu, '/api/checklists', { title: '黄浦区月度消防自查表', items: [{ text: '灭火器是否在有效期内', category: '消防' }] });
    await post(c.huangpu, '/api/selfcheck-schedules', { checklistId: hp.id, enterpriseIds: [entHp], frequency: 'monthly', startDate: '2026-10-01' });
    // The enterprise's own weekly check, from the last week of November.
    await post(c['ent-pd'], '/api/selfcheck-schedules', { checklistId: checklist.id, frequency: 'weekly', startDate: '2026-11-30' });

    // October: done on time, with a major hazard and a general one to rectify by 20 October.
    const [oct] = await own('due');
    const done = await post(
      c['ent-pd'],
      `/api/selfchecks/${oct.id}/submit`,
      {
        version: oct.version,
        results: [
          { itemId: items[0], result: 'hazard', hazard: { description: '除尘系统未设置泄爆装置', grade: 'major', location: '二号车间' } },
          { itemId: items[1], result: 'hazard', hazard: { description: '疏散通道堆放纸箱', grade: 'general', deadline: '2026-10-20' } },
          { itemId: items[2], result: 'ok' },
        ],
        signedBy: entPd.principal_name,
      },
      200,
    );
    codes = (done.results as { hazardCode: string | null }[]).flatMap((r) => (r.hazardCode ? [r.hazardCode] : []));
    expect(codes).toHaveLength(2);

    // November's round, submitted late on 2 December with nothing found; then the weeks of December.
    clock = Date.parse('2026-11-03T02:00:00Z');
    await makeRounds(t.database, new Date(clock));
    clock = Date.parse('2026-12-02T02:00:00Z');
    await makeRounds(t.database, new Date(clock));
    const nov = (await own('overdue')).find((r) => r.period === '2026-11')!;
    await post(c['ent-pd'], `/api/selfchecks/${nov.id}/submit`, { version: nov.version, results: items.map((itemId) => ({ itemId, result: 'ok' })), signedBy: entPd.principal_name, confirmNoFindings: true }, 200);
    clock = Date.parse('2026-12-08T02:00:00Z');
    await makeRounds(t.database, new Date(clock));
  });
  afterAll(() => t?.close());

  it('writes the quarterly summary: enterprise, quarter, each round’s completion and signer, the hazards as the ledger holds them now, totals, the principal’s signature line, in 仿宋/黑体', async () => {
    const { xml, body, disposition } = await docText(c['ent-pd'], '/api/selfchecks/quarterly-summary.docx?quarter=2026-Q4');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(`${entPd.name}2026年第四季度自查汇总.docx`)}`);
    expect(body).toContain('事故隐患自查自改季度汇总表');
    expect(body).toContain('（2026年第四季度）');
    expect(body).toContain(`企业名称：${entPd.name}`);
    expect(body).toContain('汇总期间：2026年10月1日至2026年12月31日');
    // Five rounds due in the quarter, in due-date order, each with how it was done.
    const rounds = [
      ['2026年10月', '浦东新区月度综合自查表', '2026年10月31日', '按时完成（2026年10月5日提交）', `${entPd.principal_name}（主要负责人）`, '2'],
      ['2026年11月', '浦东新区月度综合自查表', '2026年11月30日', '逾期完成（2026年12月2日提交）', `${entPd.principal_name}（主要负责人）`, '0'],
      ['2026年11月30日起当周', '浦东新区月度综合自查表', '2026年12月6日', '逾期未完成', '—', '—'],
      ['2026年12月7日起当周', '浦东新区月度综合自查表', '2026年12月13日', '待完成（未到期）', '—', '—'],
      ['2026年12月', '浦东新区月度综合自查表', '2026年12月31日', '待完成（未到期）', '—', '—'],
    ];
    let at = body.indexOf('二、自查完成情况');
    for (const [k, row] of rounds.entries()) {
      const cells = [String(k + 1), ...row].join('');
      expect(body.indexOf(cells, at), cells).toBeGreaterThan(at);
      at = body.indexOf(cells, at);
    }
    // The hazards found, with their status now: the general one is overdue on the ledger.
    expect(body).toContain(`1${codes[0]}2026年10月除尘系统未设置泄爆装置重大隐患已上报—`);
    expect(body).toContain(`2${codes[1]}2026年10月疏散通道堆放纸箱一般隐患整改中（已逾期）2026年10月20日`);
    expect(body).toContain('本季度应完成自查5次：按时完成1次，逾期完成1次，逾期未完成1次，尚未到期2次；其中零隐患自查1次。');
    expect(body).toContain('自查共发现事故隐患2项（其中重大事故隐患1项），截至2026年12月8日已整改销号0项，尚未销号2项（其中逾期1项）。');
    expect(body).toContain(`主要负责人（${entPd.principal_name}）签字：`);
    expect(body).toMatch(/日期：\s*年\s*月\s*日/);
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('w:eastAsia="黑体"');

    // The officers of its district and the city get the same document, naming the enterprise.
    for (const who of [c.pudong, c.city]) expect((await docText(who, `/api/selfchecks/quarterly-summary.docx?enterpriseId=${entPd.id}&quarter=2026-Q4`)).body).toBe(body);
    // Another quarter holds none of these rounds.
    const q3 = (await docText(c['ent-pd'], '/api/selfchecks/quarterly-summary.docx?quarter=2026-Q3')).body;
    expect(q3).toContain('本季度应完成自查0次');
    expect(q3).toContain('本季度无应完成的自查。');
    expect(q3).toContain('本季度自查未发现事故隐患。');
    for (const code of codes) expect(q3).not.toContain(code);
  });

  it('refuses what is out of scope (404) or malformed (400), as problem+json', async () => {
    const refused: [string, string, number, string][] = [
      ['another district', c.huangpu, 404, `enterpriseId=${entPd.id}&quarter=2026-Q4`],
      ['another enterprise', c['ent-hp'], 404, `enterpriseId=${entPd.id}&quarter=2026-Q4`],
      ['an enterprise of another district', c.pudong, 404, `enterpriseId=${entHp}&quarter=2026-Q4`],
      ['an enterprise that does not exist', c.pudong, 404, 'enterpriseId=019a0000-0000-7000-8000-000000000000&quarter=2026-Q4'],
      ['an officer naming no enterprise', c.pudong, 400, 'quarter=2026-Q4'],
      ['no quarter', c['ent-pd'], 400, ''],
      ...['2026-Q5', '2026Q4', '2026-12', '2026-Q0', '1900-Q1', '2026-q4', ''].map((q): [string, string, number, string] => [`quarter “${q}”`, c['ent-pd'], 400, `quarter=${q}`]),
      ['an unknown parameter', c['ent-pd'], 400, 'quarter=2026-Q4&district=310115'],
    ];
    for (const [why, who, status, qs] of refused) {
      const r = await get(who, `/api/selfchecks/quarterly-summary.docx?${qs}`);
      expect(r.statusCode, `${why}: ${r.body}`).toBe(status);
      expect(r.headers['content-type'], why).toContain('application/problem+json');
      expect(r.json().code, why).toBe(status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED');
    }
    const named = (await get(c.pudong, '/api/selfchecks/quarterly-summary.docx?quarter=2026-Q4')).json();
    expect(named.errors.map((e: { path: string }) => e.path)).toEqual(['enterpriseId']);
    const badQuarter = (await get(c['ent-pd'], '/api/selfchecks/quarterly-summary.docx?quarter=2026-Q5')).json();
    expect(JSON.stringify(badQuarter)).toContain('季度格式应为 YYYY-Qn');
  });

  it('exports the round list: the rows, order and filters of GET /api/selfchecks, under the caller’s scope', async () => {
    type Item = { id: string; enterpriseId: string; enterpriseName: string; period: string; dueDate: string; status: string; submittedAt: string | null };
    const completion = (r: Item) => (r.submittedAt ? (shanghai(r.submittedAt).slice(0, 10) <= r.dueDate ? '按时完成' : '逾期完成') : r.status === 'overdue' ? '逾期未完成' : '待完成（未到期）');
    const sheetRows = async (who: string, filters: string) => {
      const r = await get(who, `/api/selfchecks/export.xlsx?${filters}`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toMatch(/spreadsheetml/);
      expect(r.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('自查记录-20261208.xlsx')}`);
      const ws = await readSheet(r.rawPayload);
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['企业名称', '所属区', '自查周期', '检查表', '应完成日期', '完成情况', '提交时间', '签字人', '签字人身份', '发现隐患（项）']);
      const rows: unknown[][] = [];
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const v = (k: number) => row.getCell(k).value;
        const date = (k: number, len: number) => (v(k) instanceof Date ? (v(k) as Date).toISOString().slice(0, len) : v(k));
        rows.push([v(1), v(2), v(3), date(5, 10), v(6), date(7, 16)]);
      });
      return { rows, ws };
    };
    const listed = async (who: string, filters: string) => {
      const r = (await get(who, `/api/selfchecks?pageSize=200&${filters}`)).json();
      expect(r.total).toBeLessThanOrEqual(200);
      return r.items as Item[];
    };
    const district = (code: string) => ({ '310115': '浦东新区', '310101': '黄浦区' })[code];
    const expected = async (who: string, filters: string, districtCode: string) =>
      (await listed(who, filters)).map((r) => [r.enterpriseName, district(districtCode), periodLabel(r.period), r.dueDate, completion(r), r.submittedAt ? shanghai(r.submittedAt).slice(0, 16) : null]);

    for (const filters of ['districtCode=310115', 'districtCode=310115&status=done', 'status=overdue', `enterpriseId=${entPd.id}&from=2026-12-01&to=2026-12-31`, 'status=due&to=2026-12-13']) {
      const want = await expected(c.pudong, filters, '310115');
      expect(want.length, filters).toBeGreaterThan(0);
      expect((await sheetRows(c.pudong, filters)).rows, filters).toEqual(want);
    }
    // The enterprise's own rows, with its sign-offs and findings.
    const mine = await sheetRows(c['ent-pd'], '');
    expect(mine.rows).toEqual(await expected(c['ent-pd'], '', '310115'));
    expect(mine.rows).toHaveLength(5);
    // The list (and so the sheet) shows the latest first: find October's row.
    const octRow = [...Array(mine.ws.rowCount).keys()].map((k) => mine.ws.getRow(k + 1)).find((r) => r.getCell(3).value === '2026年10月');
    const oct = octRow!;
    expect([oct.getCell(3).value, oct.getCell(4).value, oct.getCell(8).value, oct.getCell(9).value, oct.getCell(10).value]).toEqual(['2026年10月', '浦东新区月度综合自查表', entPd.principal_name, '主要负责人', 2]);
    const sheet = [...Array(mine.ws.rowCount - 1).keys()].map((k) => mine.ws.getRow(k + 2));
    // One round submitted with nothing found (0, not blank), and rounds not submitted (no signer).
    expect(sheet.filter((r) => r.getCell(10).value === 0)).toHaveLength(1);
    expect(sheet.filter((r) => r.getCell(8).value === null).length).toBeGreaterThan(0);

    // Out of scope: nothing, just as the list shows nothing.
    for (const [who, filters] of [[c.huangpu, `enterpriseId=${entPd.id}`], [c['ent-hp'], `enterpriseId=${entPd.id}`], [c.pudong, `enterpriseId=${entHp}`]]) {
      expect(await listed(who, filters)).toEqual([]);
      expect((await sheetRows(who, filters)).rows, filters).toEqual([]);
    }
    const hp = await sheetRows(c['ent-hp'], '');
    expect(hp.rows).toEqual(await expected(c['ent-hp'], '', '310101'));
    expect(hp.rows.length).toBeGreaterThan(0);

    // The export was recorded; a bad filter is refused; too many rows are refused before anything is sent.
    const audited = await t.database.db.selectFrom('audit_log').select('action').where('action', '=', 'selfcheck.exported').execute();
    expect(audited.length).toBeGreaterThanOrEqual(9);
    for (const bad of ['status=late', 'from=2026-02-30', 'pageSize=10', 'districtCode=31']) {
      const r = await get(c.pudong, `/api/selfchecks/export.xlsx?${bad}`);
      expect(r.statusCode, bad).toBe(400);
      expect(r.headers['content-type'], bad).toContain('application/problem+json');
    }
    await expect(roundListExport(await t.ctxFor('pudong'), { districtCode: '310115' }, { maxRows: 2 })).rejects.toMatchObject({ code: 'EXPORT_TOO_LARGE', message: expect.stringMatching(/^筛选结果共 \d+ 行，超过单次导出上限 2 行/) });
  });

  it('keeps GET /api/selfchecks/:id answering beside the static document paths', async () => {
    const [round] = await own();
    expect((await get(c['ent-pd'], `/api/selfchecks/${round.id}`)).json()).toMatchObject({ id: round.id });
    expect((await get(c['ent-pd'], '/api/selfchecks/summary.docx')).statusCode).toBe(404);
  });
});
