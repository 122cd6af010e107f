/**
 * Hostile but ordinary input, generated from the OpenAPI document: every operation × every
 * parameter and body field × values that break naive servers. Never a 5xx; every refusal is
 * problem+json with a stable code; text with control characters or broken UTF-16 is refused
 * naming its field; and a refused write leaves every main table as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { ERROR_STATUS } from '../errors/app-error';
import { createTestApp, DIALECTS, multipart, PNG_1x1, type TestApp } from '../test/harness';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  default?: unknown;
};
type Operation = { parameters?: { name: string; in: 'path' | 'query'; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } };

/** Text no field may take: the server must answer 400 naming the field. */
const UNSAFE_TEXT = ['\u0000', 'a\u0000b', '\u0007', '\u001b[2J', 'x\u000bx', '\ud800', 'x\udfffy'];
/** Values the server may accept or refuse, but never answer with a 5xx. */
const OTHER_VALUES: unknown[] = [
  'x'.repeat(10_000),
  '2026-02-30',
  '0001-01-01',
  '9999-12-31T23:59:59Z',
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1,
  0.5,
  true,
  null,
  [],
  ['a', 1],
  {},
  { a: { b: 1 } },
  nested(500),
];
/** The same in a query string or a path, as raw URL text. */
const UNSAFE_URL = ['%00', 'a%00b', '%07', '%1B%5B2J', 'x%0Bx'];
const OTHER_URL = ['%ED%A0%80', '%', '%E4%B8', 'x'.repeat(10_000), '2026-02-30', '0001-01-01', '99999999999999999999999', '-1', '1e400', 'NaN', '..%2F..%2Fetc%2Fpasswd'];
/** Whole bodies of the wrong kind (raw JSON text). */
const BODIES = ['[]', '"text"', '123', 'null', `${'['.repeat(5000)}${']'.repeat(5000)}`, `{"__proto__":{"polluted":1}}`, `{"constructor":{"prototype":{"polluted":1}}}`, '{"a":'.repeat(3000) + '1' + '}'.repeat(3000)];

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** The tables a request could write to. */
const TABLES = ['hazards', 'hazard_events', 'hazard_clauses', 'enterprises', 'users', 'api_tokens', 'audit_log', 'files', 'import_jobs', 'export_jobs', 'notifications', 'standard_clauses', 'departments', 'dictionary_entries', 'sessions', 'inspections', 'cases', 'draws', 'record_events', 'enforcement_matrices', 'key_units', 'inspection_plans', 'legal_provisions', 'inspector_conflicts', 'expert_profiles', 'expert_programmes', 'expert_targets', 'expert_visits', 'agencies', 'agency_qualifications', 'agency_staff', 'agency_listings', 'agency_records', 'agency_engagements', 'agency_engagement_files', 'tips', 'tip_sealed', 'tip_uploads', 'tip_tallies', 'record_event_files', 'plan_tasks', 'plan_task_units', 'plan_milestones', 'plan_reports', 'plan_subplans', 'duty_lists', 'duty_items', 'meetings', 'five_lead_records', 'accidents', 'assessment_schemes', 'assessment_runs', 'assessment_reviews', 'accountability_records'];

describe.each(DIALECTS)('hostile input on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let doc: { paths: Record<string, Record<string, Operation>> };
  const ids: Record<string, string> = {};
  const MISSING = '00000000-0000-7000-8000-000000000000';
  let counter: pg.Client | null = null;

  beforeAll(async () => {
    // The public door's limits per address raised, so its cases reach its validation rather than its limiter.
    t = await createTestApp(dialect, { demo: true, demoCount: 40, demoHazards: 120, config: { TIP_SUBMIT_PER_HOUR: 1_000_000, TIP_LOOKUP_PER_MINUTE: 1_000_000, TIP_UPLOAD_PER_HOUR: 1_000_000 } });
    admin = await t.login('admin');
    doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const get = async (url: string) => (await t.as(admin, { method: 'GET', url })).json();
    const open = await get('/api/hazards?pageSize=1&status=reported,rectifying');
    if (!open.items) throw new Error(JSON.stringify(open));
    ids.hazards = open.items[0].id;
    ids.enterprises = (await get('/api/enterprises?pageSize=1')).items[0].id;
    ids.users = (await get('/api/users?pageSize=1&q=pudong')).items[0].id;
    ids.departments = (await get('/api/departments')).items?.[0]?.id ?? (await get('/api/departments'))[0]?.id;
    ids.clause = (await get('/api/standards/gongmao-2023')).clauses.find((c: { isLeadIn: boolean }) => !c.isLeadIn).id;
    const mp = multipart('file', 'photo.png', PNG_1x1, 'image/png');
    ids.files = (await t.as(admin, { method: 'POST', url: '/api/files', payload: mp.payload, headers: mp.headers })).json().id;
    ids.exports = (await t.as(admin, { method: 'POST', url: '/api/hazards/exports?districtCode=310115' })).json().id;
    const template = (await t.as(admin, { method: 'GET', url: '/api/imports/templates/hazards' })).rawPayload;
    const up = multipart('file', 'ledger.xlsx', template);
    ids.imports = (await t.as(admin, { method: 'POST', url: '/api/imports?kind=hazards', payload: up.payload, headers: up.headers })).json().id;
    ids.tokens = (await t.as(admin, { method: 'POST', url: '/api/tokens', payload: { userId: ids.users, name: 'hostile' } })).json().id;
    ids.notifications = MISSING;
    const agency = await t.as(admin, { method: 'POST', url: '/api/agencies', payload: { name: '上海测试安全评价有限公司', uscc: '91310115MA1AGT001N', serviceTypes: ['evaluation'], approvedBy: '上海市应急管理局', qualifications: [{ name: '安全评价机构资质', issuer: '上海市应急管理局', number: 'APJ-1', expiresOn: '2028-01-01' }] } });
    ids.agencies = agency.json().id;
    const engagement = await t.as(admin, { method: 'POST', url: '/api/agency-engagements', payload: { enterpriseId: ids.enterprises, agencyId: ids.agencies, serviceType: 'evaluation', from: '2026-01-01', to: '2026-12-31' } });
    ids['agency-engagements'] = engagement.json().id;
    if (agency.statusCode !== 201 || engagement.statusCode !== 201) throw new Error(`agency setup: ${agency.body} ${engagement.body}`);
    const tip = await t.app.inject({ method: 'POST', url: '/api/public/tips', payload: { category: 'major_hazard', description: '用于恶意输入测试的一条举报，内容足够长', districtCode: '310115', anonymous: false, phone: '13900000000' } });
    ids.tips = (await t.database.db.selectFrom('tips').select('id').where('receipt', '=', tip.json().receipt.replace(/-/g, '')).executeTakeFirstOrThrow()).id;
    for (const [k, v] of Object.entries(ids)) if (!v) throw new Error(`no ${k} to test with`);
    if (dialect === 'postgres') {
      counter = new pg.Client({ connectionString: t.database.env.DATABASE_URL });
      await counter.connect();
      // It reads the test's own schema, as the application does.
      expect(await counts(counter)).toBe(await counts(null));
    }
  });
  afterAll(async () => {
    await counter?.end();
    await t?.close();
  });

  const resolve = (s: Schema): Schema => {
    const alt = s.anyOf ?? s.oneOf;
    if (alt) return resolve(alt.find((x) => x.type !== 'null') ?? alt[0]);
    return s;
  };

  /** A value the field accepts, so a hostile value elsewhere is judged on its own. */
  function sample(name: string, schema: Schema): unknown {
    const s = resolve(schema);
    if (s.default !== undefined) return s.default;
    if (s.enum) return s.enum[0];
    if (s.const !== undefined) return s.const;
    const byName: Record<string, unknown> = {
      enterpriseId: ids.enterprises,
      departmentId: ids.departments,
      userId: ids.users,
      districtCode: '310115',
      streetCode: '310115005',
      regionCode: '310115',
      industryCode: '34',
      username: 'hostile-user',
      password: 'Hostile-pass-2026',
      newPassword: 'Hostile-pass-2026',
      code: 'hostile_code',
      month: '2026-05',
      district: '310115',
      lng: 121.5,
      lat: 31.2,
      uscc: '91310115MA1K4ABC1X',
      principalPhone: '021-12345678',
      safetyManagerPhone: '021-12345678',
      responsiblePhone: '021-12345678',
      status: 'reported',
    };
    if (name in byName) return byName[name];
    const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
    if (type === 'string') {
      if (s.format === 'date') return '2026-06-01';
      if (s.format === 'date-time') return '2026-06-01T09:00:00+08:00';
      return '测试用的文字内容'.repeat(Math.max(1, Math.ceil((s.minLength ?? 1) / 8)));
    }
    if (type === 'integer') return Math.max(s.minimum ?? 1, 1);
    if (type === 'number') return s.minimum ?? 1;
    if (type === 'boolean') return false;
    if (type === 'array') return Array.from({ length: s.minItems ?? 0 }, () => (name === 'clauseIds' ? ids.clause : sample(name, s.items ?? {})));
    if (type === 'object') return Object.fromEntries((s.required ?? []).map((k) => [k, sample(k, s.properties?.[k] ?? {})]));
    return 'x';
  }

  function paramValue(path: string, name: string, schema: Schema): string {
    const s = resolve(schema);
    if (s.enum) return String(s.enum[0]);
    if (name === 'code') return '310115';
    if (name === 'clauseId') return ids.clause;
    if (name === 'key') return 'hazards.major_acceptors';
    if (name === 'year') return '2026';
    if (name === 'quarter') return '2026Q4';
    if (path.startsWith('/api/standards/')) return 'gongmao-2023';
    if (path.startsWith('/api/dashboard/enterprises/')) return ids.enterprises;
    if (path.startsWith('/api/dashboard/departments/')) return ids.departments;
    return ids[path.split('/')[2]] ?? MISSING;
  }

  interface Case {
    label: string;
    method: string;
    url: string;
    payload?: string | Buffer;
    headers?: Record<string, string>;
    /** The field an unsafe value went into: the answer must be 400 naming it. */
    mustRefuse?: string;
  }

  function cases(): Case[] {
    const out: Case[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(methods)) {
        const method = m.toUpperCase();
        // Signing out ends the session every other case uses; it takes no input to be hostile with.
        if (path === '/api/auth/logout') continue;
        const params = (op.parameters ?? []).filter((p) => p.in === 'path');
        const query = (op.parameters ?? []).filter((p) => p.in === 'query');
        const bodySchema = op.requestBody?.content['application/json']?.schema;
        const isMultipart = !!op.requestBody?.content['multipart/form-data'];
        const pathWith = (over: Record<string, string> = {}) =>
          path.replace(/\{(\w+)\}/g, (_, n: string) => over[n] ?? encodeURIComponent(paramValue(path, n, params.find((p) => p.name === n)!.schema)));
        const requiredQuery = query.filter((p) => resolve(p.schema).default === undefined && ['district', 'month'].includes(p.name));
        const baseQuery = (skip?: string) => requiredQuery.filter((p) => p.name !== skip).map((p) => `${p.name}=${encodeURIComponent(String(sample(p.name, p.schema)))}`);
        const urlOf = (p: string, q: string[]) => (q.length ? `${p}?${q.join('&')}` : p);
        const baseBody = bodySchema ? (sample('', bodySchema) as Record<string, unknown>) : undefined;
        const json = (body: unknown) => ({ payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        const base = () => (baseBody ? json(baseBody) : {});

        for (const p of params) {
          for (const v of UNSAFE_URL) out.push({ label: `${method} ${path} params.${p.name}`, method, url: urlOf(pathWith({ [p.name]: v }), baseQuery()), ...base(), mustRefuse: p.name });
          for (const v of [...OTHER_URL, MISSING]) out.push({ label: `${method} ${path} params.${p.name}`, method, url: urlOf(pathWith({ [p.name]: v }), baseQuery()), ...base() });
        }
        for (const p of query) {
          const rest = baseQuery(p.name);
          for (const v of UNSAFE_URL) out.push({ label: `${method} ${path} query.${p.name}`, method, url: urlOf(pathWith(), [...rest, `${p.name}=${v}`]), ...base(), mustRefuse: p.name });
          for (const v of OTHER_URL) out.push({ label: `${method} ${path} query.${p.name}`, method, url: urlOf(pathWith(), [...rest, `${p.name}=${v}`]), ...base() });
          out.push({ label: `${method} ${path} query.${p.name} twice`, method, url: urlOf(pathWith(), [...rest, `${p.name}=a`, `${p.name}=b`]), ...base() });
        }
        if (query.length) out.push({ label: `${method} ${path} unknown query`, method, url: urlOf(pathWith(), [...baseQuery(), '__proto__=1', 'constructor[prototype]=1']), ...base() });
        if (baseBody && bodySchema) {
          const props = resolve(bodySchema).properties ?? {};
          const slots: { field: string; set: (v: unknown) => unknown }[] = [];
          for (const [k, s] of Object.entries(props)) {
            slots.push({ field: k, set: (v) => ({ ...baseBody, [k]: v }) });
            const inner = resolve(s);
            if (inner.properties) {
              for (const k2 of Object.keys(inner.properties)) {
                const innerBase = sample(k, inner) as Record<string, unknown>;
                slots.push({ field: k2, set: (v) => ({ ...baseBody, [k]: { ...innerBase, [k2]: v } }) });
              }
            }
            if (inner.type === 'array') slots.push({ field: k, set: (v) => ({ ...baseBody, [k]: [v] }) });
          }
          for (const slot of slots) {
            for (const v of UNSAFE_TEXT) out.push({ label: `${method} ${path} body.${slot.field}`, method, url: urlOf(pathWith(), baseQuery()), ...json(slot.set(v)), mustRefuse: slot.field });
            for (const v of OTHER_VALUES) out.push({ label: `${method} ${path} body.${slot.field}`, method, url: urlOf(pathWith(), baseQuery()), ...json(slot.set(v)) });
          }
          for (const b of BODIES) out.push({ label: `${method} ${path} body ${b.slice(0, 20)}`, method, url: urlOf(pathWith(), baseQuery()), payload: b, headers: { 'content-type': 'application/json' } });
          const text = JSON.stringify(baseBody);
          out.push({ label: `${method} ${path} body with __proto__`, method, url: urlOf(pathWith(), baseQuery()), payload: `{"__proto__":{"polluted":1},${text.slice(1)}`, headers: { 'content-type': 'application/json' } });
        }
        if (isMultipart) {
          const url = urlOf(pathWith(), baseQuery());
          for (const name of ['a\u0000b.png', 'bell\u0007.png', '\u001b[2J.png']) {
            const mp = multipart('file', name, PNG_1x1, 'image/png');
            out.push({ label: `${method} ${path} multipart filename`, method, url, payload: mp.payload, headers: mp.headers, mustRefuse: 'filename' });
          }
          for (const [field, name] of [['file', `${'长'.repeat(5000)}.png`], ['__proto__', 'a.png'], ['constructor', 'a.png'], ['file\u0000', 'a.png']]) {
            const mp = multipart(field, name, PNG_1x1, 'image/png');
            out.push({ label: `${method} ${path} multipart ${field.slice(0, 12)}`, method, url, payload: mp.payload, headers: mp.headers });
          }
          out.push({ label: `${method} ${path} not multipart`, method, url, ...json({ file: 'x' }) });
        }
      }
    }
    return out;
  }

  const withoutAudit = (counted: string) => counted.replace(/audit_log=\d+/, '');

  /** Waits for the background job a write started (an export, an import preview), so its writes are not taken for the next case's. */
  async function settle(body: string, url: string) {
    const job = body.startsWith('{') ? (JSON.parse(body) as { id?: string }) : null;
    const poll = url.includes('/exports') ? '/api/exports/' : url.startsWith('/api/imports') ? '/api/imports/' : null;
    if (!poll || !job?.id) return;
    for (let i = 0; i < 200; i++) {
      const now = (await t.as(admin, { method: 'GET', url: `${poll}${job.id}` })).json();
      if (!['running', 'previewing', 'committing'].includes(now.status)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${url}: job ${job.id} did not finish`);
  }

  const COUNTS = `select ${TABLES.map((n) => `(select count(*) from ${n}) as ${n}`).join(', ')}`;
  /**
   * On PostgreSQL a named statement on a connection of its own, planned once: planning the 54
   * counts afresh (~5 ms) for each of ~20,000 writes was 100–150 s of the suite.
   */
  async function counts(via = counter): Promise<string> {
    const row = via ? (await via.query({ name: 'hostile-counts', text: COUNTS })).rows[0] : ((await sql.raw(COUNTS).execute(t.database.db)).rows[0] as Record<string, unknown>);
    return TABLES.map((n) => `${n}=${row[n]}`).join(' ');
  }

  it('never answers 5xx, refuses unsafe text naming the field, and writes nothing when it refuses', async () => {
    const all = cases();
    // Bounded so the suite stays fast: every case is listed up front (each module's routes add theirs: 11,248 with enforcement, over 15,000 with the experts' and agencies' routes, over 21,000 with the plan's, 28,700 with risks, certificates, training and campaigns; counted only when a write was accepted, the tables cost half what they did).
    expect(all.length).toBeGreaterThan(2000);
    expect(all.length).toBeLessThan(32_000);
    const problems: string[] = [];
    const codes = new Set(Object.keys(ERROR_STATUS));
    // Reads first, then writes; the tables are counted before a write only when the last one was
    // accepted (a refused write was checked to leave the counts as they were, so they still hold).
    all.sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
    let known: string | null = null;
    for (const c of all) {
      const writes = c.method !== 'GET';
      const before = writes ? (known ??= await counts()) : '';
      let res;
      try {
        res = await t.as(admin, { method: c.method as 'GET', url: c.url, payload: c.payload, headers: c.headers });
      } catch (err) {
        problems.push(`${c.label} → no answer (${(err as Error).message})`);
        known = null;
        continue;
      }
      const what = `${c.label} → ${res.statusCode}`;
      if (res.statusCode >= 500) {
        problems.push(`${what} ${res.body.slice(0, 200)}`);
        known = null;
        continue;
      }
      if (res.statusCode >= 400) {
        const type = String(res.headers['content-type'] ?? '');
        const body = type.includes('problem+json') ? res.json() : null;
        if (!body) problems.push(`${what} not problem+json (${type})`);
        else if (!codes.has(body.code) || ERROR_STATUS[body.code as keyof typeof ERROR_STATUS] !== res.statusCode) problems.push(`${what} unstable code ${body.code}`);
        // A refused sign-in, a refused reveal of a reporter: each is itself evidence, audited by design; nothing else is written.
        const after = writes ? await counts() : '';
        const audited = body?.code === 'INVALID_CREDENTIALS' || /^\/api\/tips\/[^/]+\/identity$/.test(c.url.split('?')[0]);
        const expected = audited ? withoutAudit(before) === withoutAudit(after) : before === after;
        if (!expected) problems.push(`${what} wrote rows although it refused`);
        known = writes ? after : known;
      } else if (writes) {
        await settle(res.body, c.url);
        known = null;
      }
      if (c.mustRefuse) {
        const body = res.statusCode === 400 ? res.json() : null;
        const named = body?.code === 'VALIDATION_FAILED' && (body.errors ?? []).some((e: { path: string }) => e.path.split('.').includes(c.mustRefuse!));
        if (!named) problems.push(`${what} should refuse unsafe text in ${c.mustRefuse} (${res.body.slice(0, 160)})`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(problems).toEqual([]);
  }, 600_000);
});
