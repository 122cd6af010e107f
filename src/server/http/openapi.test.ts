import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness';

describe('API documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  it('serves an OpenAPI 3.1 document listing every endpoint the acceptance checks use', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, m]) => Object.keys(m).map((k) => `${k.toUpperCase()} ${p}`));
    for (const op of [
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/me',
      'GET /api/regions',
      'GET /api/industries',
      'GET /api/standards',
      'GET /api/standards/{id}',
      'GET /api/enterprises',
      'POST /api/enterprises',
      'GET /api/enterprises/{id}',
      'PATCH /api/enterprises/{id}',
      'GET /api/users',
      'POST /api/users',
      'GET /api/audit',
      'GET /api/health',
      // #20: the paths its acceptance checks use.
      'GET /api/risks',
      'POST /api/risks',
      'GET /api/risks/{id}',
      'PATCH /api/risks/{id}',
      'GET /api/risk-rounds',
      'POST /api/risk-rounds',
      'GET /api/risk-rounds/{id}/completion',
      'GET /api/consultations',
      'POST /api/consultations',
      'GET /api/campaigns',
      'POST /api/campaigns',
      'GET /api/campaigns/{id}/progress',
      'GET /api/courses',
      'POST /api/courses',
      'POST /api/courses/{id}/attendance',
      'GET /api/training/coverage',
      'GET /api/certificates',
      'POST /api/certificates',
      'GET /api/enterprises/{id}/standardization',
      'PUT /api/enterprises/{id}/standardization',
    ]) {
      expect(ops).toContain(op);
    }
    const create = doc.paths['/api/enterprises'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['uscc', 'name', 'districtCode', 'industryCode', 'principalName']));
    expect(create.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    const list = doc.paths['/api/enterprises'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['districtCode', 'streetCode', 'industryCode', 'q', 'page', 'pageSize']));
  });

  it('serves browsable docs and answers unknown API paths with problem+json', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
    const missing = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    const asset = await t.app.inject({ method: 'GET', url: '/assets/missing-chunk.js' });
    expect(asset.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    expect(missing.json().code).toBe('NOT_FOUND');
  });
});

describe('input contracts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  type S = { type?: string | string[]; enum?: unknown[]; const?: unknown; pattern?: string; allOf?: S[]; anyOf?: S[]; oneOf?: S[]; properties?: Record<string, S>; items?: S };
  /** Every place an input string can appear, with whether it is bounded by a pattern, an enum or a format. */
  function strings(s: S | undefined, at: string, out: { at: string; bounded: boolean }[]) {
    if (!s) return out;
    for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) strings(alt, at, out);
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes('string')) out.push({ at, bounded: s.enum !== undefined || s.const !== undefined || s.pattern !== undefined || (s.allOf ?? []).some((x) => x.pattern) });
    for (const [k, v] of Object.entries(s.properties ?? {})) strings(v, `${at}.${k}`, out);
    if (s.items) strings(s.items, `${at}[]`, out);
    return out;
  }

  it('builds every input string from the shared blocks: each carries a pattern or an enum, so no control character gets in', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const found: { at: string; bounded: boolean }[] = [];
    for (const [p, methods] of Object.entries<Record<string, { parameters?: { name: string; in: string; schema: S }[]; requestBody?: { content: Record<string, { schema: S }> } }>>(doc.paths)) {
      for (const [m, op] of Object.entries(methods)) {
        for (const param of op.parameters ?? []) strings(param.schema, `${m.toUpperCase()} ${p} ${param.in}.${param.name}`, found);
        strings(op.requestBody?.content['application/json']?.schema, `${m.toUpperCase()} ${p} body`, found);
      }
    }
    expect(found.length).toBeGreaterThan(150);
    expect(found.filter((f) => !f.bounded).map((f) => f.at)).toEqual([]);
  });
});
