import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../../../shared/uscc';
import { DIALECTS, createTestApp, type TestApp } from '../../test/harness';

let serial = 0;
/** A fresh valid credit code for a district, never used by the demo generator (which uses MA1…). */
export function freshUscc(district = '310115'): string {
  const body = `91${district}MB${String(++serial).padStart(7, '0')}`;
  return body + usccCheckChar(body);
}

const valid = (over: Record<string, unknown> = {}) => ({
  uscc: freshUscc(),
  name: `上海测试机械制造有限公司${serial}`,
  address: '上海市浦东新区陆家嘴街道测试路1号',
  districtCode: '310115',
  streetCode: '310115005',
  industryCode: '34',
  principalName: '王五',
  principalPhone: '021-12345678',
  riskClass: 'high',
  ...over,
});

describe.each(DIALECTS)('enterprises on %s', (dialect) => {
  let t: TestApp;
  let pudong: string;
  const counts = async () => ({
    enterprises: Number((await t.database.db.selectFrom('enterprises').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    audit: Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  });

  beforeAll(async () => {
    t = await createTestApp(dialect, { demo: true, demoCount: 400 });
    pudong = await t.login('pudong');
  });
  afterAll(() => t?.close());

  it('creates an enterprise, audits it in the same transaction, and finds it by part of its name and by its code', async () => {
    const before = await counts();
    const input = valid({ name: '上海陆家嘴精工机械有限公司' });
    const res = await t.as(pudong, { method: 'POST', url: '/api/enterprises', payload: input });
    expect(res.statusCode).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ name: input.name, uscc: input.uscc, districtCode: '310115', districtName: '浦东新区', streetName: '陆家嘴街道', industryName: '通用设备制造业', riskClass: 'high', standardizationLevel: 'none', version: 1, canEdit: true });
    expect(await counts()).toEqual({ enterprises: before.enterprises + 1, audit: before.audit + 1 });
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', e.id).executeTakeFirstOrThrow();
    expect(audit.action).toBe('enterprise.created');
    expect(JSON.parse(audit.after_json!).uscc).toBe(input.uscc);

    for (const q of ['精工机', '陆家嘴精工', '精工', '工', input.uscc.slice(4, 12)]) {
      const found = await t.as(pudong, { method: 'GET', url: `/api/enterprises?q=${encodeURIComponent(q)}&pageSize=200` });
      expect(found.statusCode).toBe(200);
      expect(found.json().items.map((x: { id: string }) => x.id), `search ${q}`).toContain(e.id);
    }
    const miss = await t.as(pudong, { method: 'GET', url: `/api/enterprises?q=${encodeURIComponent('不存在的名字')}` });
    expect(miss.json()).toMatchObject({ items: [], total: 0 });
  });

  it('treats search input literally (wildcards and quotes)', async () => {
    for (const q of ['%', '_', '"', "'", '%%%', '"精工']) {
      const r = await t.as(pudong, { method: 'GET', url: `/api/enterprises?q=${encodeURIComponent(q)}` });
      expect(r.statusCode, q).toBe(200);
      expect(r.json().total, q).toBe(0);
    }
  });

  it('filters by district, street, industry (division or section) and pages with a correct total', async () => {
    const city = await t.login('city');
    const all = (await t.as(city, { method: 'GET', url: '/api/enterprises?pageSize=200&districtCode=310115' })).json();
    expect(all.total).toBeGreaterThan(20);
    expect(all.items.every((e: { districtCode: string }) => e.districtCode === '310115')).toBe(true);
    const p1 = (await t.as(city, { method: 'GET', url: '/api/enterprises?pageSize=7&page=1&districtCode=310115' })).json();
    const p2 = (await t.as(city, { method: 'GET', url: '/api/enterprises?pageSize=7&page=2&districtCode=310115' })).json();
    expect(p1).toMatchObject({ total: all.total, page: 1, pageSize: 7 });
    expect(p1.items).toHaveLength(7);
    expect(p2.items[0].id).toBe(all.items[7].id);

    const section = (await t.as(city, { method: 'GET', url: '/api/enterprises?pageSize=200&industryCode=C' })).json();
    expect(section.total).toBeGreaterThan(0);
    expect(section.items.every((e: { industryCode: string }) => Number(e.industryCode) >= 13 && Number(e.industryCode) <= 43)).toBe(true);
    const division = (await t.as(city, { method: 'GET', url: '/api/enterprises?pageSize=200&industryCode=34' })).json();
    expect(division.items.every((e: { industryCode: string }) => e.industryCode === '34')).toBe(true);
    const street = (await t.as(city, { method: 'GET', url: '/api/enterprises?pageSize=200&streetCode=310115005' })).json();
    expect(street.items.every((e: { streetCode: string }) => e.streetCode === '310115005')).toBe(true);
    const byName = (await t.as(city, { method: 'GET', url: '/api/enterprises?pageSize=50&sort=name' })).json().items.map((e: { name: string }) => e.name);
    expect(byName).toEqual([...byName].sort());
  });

  describe('bad input answers problem+json and writes nothing', () => {
    const cases: [string, () => Record<string, unknown> | string, number, string, string?][] = [
      ['malformed JSON', () => '{"uscc": ', 400, 'INVALID_JSON'],
      ['wrong types', () => valid({ name: 42, lng: 'east' }), 400, 'VALIDATION_FAILED', 'name'],
      ['an unknown field', () => valid({ owner: 'me' }), 400, 'VALIDATION_FAILED', 'owner'],
      ['a missing required field', () => { const v = valid(); delete (v as Record<string, unknown>).principalName; return v; }, 400, 'VALIDATION_FAILED', 'principalName'],
      ['a bad credit code check character', () => valid({ uscc: '91310115MA1H8R7C6D' }), 400, 'INVALID_USCC', 'uscc'],
      ['a credit code of the wrong length', () => valid({ uscc: '9131011' }), 400, 'INVALID_USCC', 'uscc'],
      ['an unknown district', () => valid({ districtCode: '310199', streetCode: null }), 400, 'UNKNOWN_REGION', 'districtCode'],
      ['an unknown street', () => valid({ streetCode: '310115999' }), 400, 'UNKNOWN_REGION', 'streetCode'],
      ['a street of another district', () => valid({ streetCode: '310101002' }), 400, 'STREET_NOT_IN_DISTRICT', 'streetCode'],
      ['an unknown industry', () => valid({ industryCode: '99' }), 400, 'UNKNOWN_INDUSTRY', 'industryCode'],
    ];
    it.each(cases)('%s', async (_name, body, status, code, path) => {
      const before = await counts();
      const payload = body();
      const res = await t.as(pudong, {
        method: 'POST',
        url: '/api/enterprises',
        headers: { 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const p = res.json();
      expect(p).toMatchObject({ status, code, type: `urn:zhiben:problem:${code}` });
      expect(p.detail).toMatch(/[\u4e00-\u9fff]/);
      expect(JSON.stringify(p)).not.toMatch(/at .*\.ts:\d+|SELECT|sqlite|postgres/i);
      if (path) expect(p.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await counts()).toEqual(before);
    });

    it('an oversized body (413)', async () => {
      const before = await counts();
      const res = await t.as(pudong, { method: 'POST', url: '/api/enterprises', payload: valid({ name: 'x'.repeat(t.config.BODY_LIMIT_BYTES + 10) }) });
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
      expect(await counts()).toEqual(before);
    });

    it('a duplicate credit code (409), also with lower case and spaces', async () => {
      const first = valid();
      expect((await t.as(pudong, { method: 'POST', url: '/api/enterprises', payload: first })).statusCode).toBe(201);
      const before = await counts();
      const dup = await t.as(pudong, { method: 'POST', url: '/api/enterprises', payload: valid({ uscc: ` ${(first.uscc as string).toLowerCase()} ` }) });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('DUPLICATE_USCC');
      expect(await counts()).toEqual(before);
    });

    it('a bad query parameter', async () => {
      const res = await t.as(pudong, { method: 'GET', url: '/api/enterprises?pageSize=100000&districtCode=abc' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['query.pageSize', 'query.districtCode']));
    });
  });

  it('edits with optimistic concurrency and audits before and after', async () => {
    const created = (await t.as(pudong, { method: 'POST', url: '/api/enterprises', payload: valid() })).json();
    const ok = await t.as(pudong, { method: 'PATCH', url: `/api/enterprises/${created.id}`, payload: { version: 1, riskClass: 'major', safetyManagerName: '赵六' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, riskClass: 'major', safetyManagerName: '赵六', principalName: '王五' });
    const stale = await t.as(pudong, { method: 'PATCH', url: `/api/enterprises/${created.id}`, payload: { version: 1, riskClass: 'low' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const rows = await t.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', created.id).orderBy('seq').execute();
    expect(rows.map((r) => r.action)).toEqual(['enterprise.created', 'enterprise.updated']);
    expect(JSON.parse(rows[1].before_json!).riskClass).toBe('high');
    expect(JSON.parse(rows[1].after_json!).riskClass).toBe('major');
    const moved = await t.as(pudong, { method: 'PATCH', url: `/api/enterprises/${created.id}`, payload: { districtCode: '310101' } });
    expect(moved.statusCode).toBe(403);
    expect(moved.json().code).toBe('OUT_OF_SCOPE');
  });

  it('exports exactly the filtered enterprises, every page, in the list’s order (by date and by name)', async () => {
    for (const sort of ['-createdAt', 'name']) {
      const listed: { uscc: string }[] = [];
      for (let page = 1; ; page++) {
        const r = (await t.as(pudong, { method: 'GET', url: `/api/enterprises?industryCode=C&sort=${sort}&pageSize=50&page=${page}` })).json();
        listed.push(...r.items);
        if (listed.length >= r.total) break;
      }
      expect(listed.length).toBeGreaterThan(20);
      const res = await t.as(pudong, { method: 'GET', url: `/api/enterprises/export.xlsx?industryCode=C&sort=${sort}` });
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getRow(1).getCell(1).value).toBe('统一社会信用代码');
      const codes = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2).getCell(1).value);
      expect(codes).toEqual(listed.map((e) => e.uscc));
      expect(ws.getRow(2).getCell(4).value).toBe('浦东新区');
      expect(ws.getRow(2).getCell(14).value).toBeInstanceOf(Date);
    }
  });
});
