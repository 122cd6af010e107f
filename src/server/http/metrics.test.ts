import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createTestApp, DIALECTS, type TestApp } from '../test/harness';
import { runOncePerPeriod, type PeriodicJob } from '../workers/schedule';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}`;
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(${LABEL}(?:,${LABEL})*)?\\})? (\\S+)$`);
const NUMBER = /^(?:[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|[+-]Inf|NaN)$/i;

/** Prometheus text format 0.0.4, strictly: every line a HELP, a TYPE or `name{labels} value` of a declared family. */
function parseExposition(text: string): Sample[] {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      if (kind === 'HELP') {
        expect(helps.has(name), `second HELP for ${name}`).toBe(false);
        helps.add(name);
      } else {
        expect(types.has(name), `second TYPE for ${name}`).toBe(false);
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(rest);
        types.set(name, rest);
      }
      continue;
    }
    const m = SAMPLE_LINE.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const [, name, labelText, valueText] = m!;
    expect(valueText, line).toMatch(NUMBER);
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    expect(types.get(family), `sample of an undeclared family: ${line}`).toBeDefined();
    if (family !== name) expect(types.get(family)).toBe('histogram');
    const labels: Record<string, string> = {};
    for (const [, k, v] of (labelText ?? '').matchAll(new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)=(${LABEL_VALUE})`, 'g'))) {
      labels[k] = v.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name, labels, value: valueText === '+Inf' ? Infinity : Number(valueText) });
  }
  expect([...types.keys()].sort()).toEqual([...helps].sort());
  return samples;
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
/** A series' value; a series not yet seen counts as 0 (counters start there). */
const valueOf = (samples: Sample[], name: string, labels: Record<string, string>) => samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value ?? 0;
const delta = (before: Sample[], after: Sample[], name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);

const TOKEN = 'metrics-token-for-tests-2026';

describe.each(DIALECTS)('the operations view on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { config: { METRICS_TOKEN: TOKEN } });
    admin = await t.login('admin');
  });
  afterAll(() => t?.close());

  const scrape = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(res.body);
  };

  it('answers only with the token: 401 problem without it, with a wrong one or with a session; 404 when no token is configured', async () => {
    const before = await scrape();
    const refusals = [
      {},
      { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
      { authorization: `Bearer ${TOKEN}-and-more` },
      { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
      { cookie: admin },
    ];
    for (const headers of refusals) {
      const res = await t.app.inject({ method: 'GET', url: '/api/metrics', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="zhiben-metrics"');
      const body = res.json();
      expect(body.code).toBe('METRICS_TOKEN_REQUIRED');
      expect(body.detail).toMatch(/令牌/);
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body).not.toContain(TOKEN);
    }
    const after = await scrape();
    // Refusals count as errors, never as requests: scrapes stay out of the request figures.
    expect(delta(before, after, 'zhiben_http_errors_total', { code: 'METRICS_TOKEN_REQUIRED' })).toBe(refusals.length);
    expect(after.filter((s) => s.labels.route === '/api/metrics')).toEqual([]);

    const off = await buildApp({ config: { ...t.config, METRICS_TOKEN: undefined }, database: t.database, logger: false, serveWeb: false });
    try {
      const res = await off.inject({ method: 'GET', url: '/api/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'METRICS_DISABLED' });
      expect(res.json().detail).toMatch(/METRICS_TOKEN/);
    } finally {
      await off.close();
    }
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('counts requests by route pattern, method and status, and problem answers by code', async () => {
    const before = await scrape();
    const [a, b] = [uuidv7(), uuidv7()];
    for (const id of [a, b]) expect((await t.as(admin, { method: 'GET', url: `/api/enterprises/${id}` })).statusCode).toBe(404);
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    const stray = `/api/no-such-thing/${uuidv7()}`;
    expect((await t.app.inject({ method: 'GET', url: stray })).statusCode).toBe(404);
    const invalid = await t.as(admin, { method: 'POST', url: '/api/enterprises', payload: {} });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('VALIDATION_FAILED');
    // Refused by the router before routing: a problem like any other, counted once.
    expect((await t.app.inject({ method: 'GET', url: '/api/enterprises/%zz' })).json().code).toBe('INVALID_URL');
    const after = await scrape();

    const requests = (labels: Record<string, string>) => delta(before, after, 'zhiben_http_requests_total', labels);
    expect(requests({ method: 'GET', route: '/api/enterprises/:id', status: '404' })).toBe(2);
    expect(requests({ method: 'GET', route: '/api/health', status: '200' })).toBe(3);
    expect(requests({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/enterprises', status: '400' })).toBe(1);
    expect(delta(before, after, 'zhiben_http_errors_total', { code: 'NOT_FOUND' })).toBe(3);
    expect(delta(before, after, 'zhiben_http_errors_total', { code: 'VALIDATION_FAILED' })).toBe(1);
    expect(delta(before, after, 'zhiben_http_errors_total', { code: 'INVALID_URL' })).toBe(1);
    expect(delta(before, after, 'zhiben_http_request_duration_seconds_count', { method: 'GET', route: '/api/enterprises/:id' })).toBe(2);
    // Bounded cardinality: no raw URL, no id, ever becomes a label.
    const labelValues = after.flatMap((s) => Object.values(s.labels));
    for (const raw of [a, b, stray]) expect(labelValues.some((v) => v.includes(raw))).toBe(false);
  });

  it('histograms are cumulative, end in +Inf = _count, and count exactly the requests the counter does', async () => {
    await t.app.inject({ method: 'GET', url: '/api/health' });
    const samples = await scrape();
    const counts = samples.filter((s) => s.name === 'zhiben_http_request_duration_seconds_count');
    expect(counts.length).toBeGreaterThan(0);
    for (const { labels, value: count } of counts) {
      const buckets = samples
        .filter((s) => s.name === 'zhiben_http_request_duration_seconds_bucket' && s.labels.method === labels.method && s.labels.route === labels.route)
        .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), value: s.value }));
      expect(buckets.map((x) => x.le)).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity]);
      for (let i = 1; i < buckets.length; i++) expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value);
      expect(buckets.at(-1)!.value).toBe(count);
      const counted = samples.filter((s) => s.name === 'zhiben_http_requests_total' && s.labels.method === labels.method && s.labels.route === labels.route).reduce((n, s) => n + s.value, 0);
      expect(count, `${labels.method} ${labels.route}`).toBe(counted);
      expect(valueOf(samples, 'zhiben_http_request_duration_seconds_sum', labels)).toBeGreaterThanOrEqual(0);
    }
  });

  it('counts periodic job runs by outcome, and their durations', async () => {
    const name = `metrics-probe-${dialect}`;
    const job: PeriodicJob = { name, everyMs: 3_600_000, run: () => new Promise((r) => setTimeout(r, 20)) };
    const failing: PeriodicJob = { name: `${name}-failing`, everyMs: 3_600_000, run: () => Promise.reject(new Error('boom')) };
    const at = new Date('2026-12-04T09:10:00Z');
    const before = await scrape();
    expect(await runOncePerPeriod(t.database.db, job, at, 'p1')).toBe('ran');
    expect(await runOncePerPeriod(t.database.db, job, new Date('2026-12-04T09:40:00Z'), 'p2')).toBe('skipped');
    await expect(runOncePerPeriod(t.database.db, failing, at, 'p1')).rejects.toThrow('boom');
    const after = await scrape();
    expect(delta(before, after, 'zhiben_job_runs_total', { job: name, outcome: 'ran' })).toBe(1);
    expect(delta(before, after, 'zhiben_job_runs_total', { job: name, outcome: 'skipped' })).toBe(1);
    expect(delta(before, after, 'zhiben_job_runs_total', { job: `${name}-failing`, outcome: 'failed' })).toBe(1);
    // The run's time, not the skip's: one observation of at least the 20 ms it slept.
    expect(delta(before, after, 'zhiben_job_duration_seconds_count', { job: name })).toBe(1);
    expect(delta(before, after, 'zhiben_job_duration_seconds_sum', { job: name })).toBeGreaterThanOrEqual(0.015);
    expect(delta(before, after, 'zhiben_job_duration_seconds_count', { job: `${name}-failing` })).toBe(1);
  });

  it('reports the database connections: all idle at rest, then busy and waiting while transactions hold them', async () => {
    const pool = async () => {
      const samples = (await scrape()).filter((s) => s.name === 'zhiben_db_pool_connections');
      return Object.fromEntries(samples.map((s) => [s.labels.state, s.value]));
    };
    const rest = await pool();
    expect(Object.keys(rest).sort()).toEqual(['idle', 'total', 'waiting']);
    expect(rest.idle).toBe(rest.total);
    expect(rest.waiting).toBe(0);
    if (dialect === 'sqlite') expect(rest.total).toBe(1);

    // Every connection held by a transaction (SQLite has one; the test pool on PostgreSQL five), then two more queries.
    const size = dialect === 'sqlite' ? 1 : 5;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: Promise<void>[] = [];
    const holding: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      let signal!: () => void;
      started.push(new Promise<void>((r) => (signal = r)));
      holding.push(
        t.database.db.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          signal();
          await gate;
        }),
      );
    }
    await Promise.all(started);
    const queued = [sql`select 1`.execute(t.database.db), sql`select 1`.execute(t.database.db)];
    let busy = await pool();
    for (let i = 0; i < 100 && busy.waiting < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      busy = await pool();
    }
    expect(busy).toEqual({ total: size, idle: 0, waiting: 2 });
    release();
    await Promise.all([...holding, ...queued]);
    const after = await pool();
    expect(after.waiting).toBe(0);
    expect(after.idle).toBe(after.total);
  });
});

describe('request logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  it('every log line of a request carries the request id its problem answer shows, the unhandled-error line included', async () => {
    const lines: string[] = [];
    const app = await buildApp({ config: { ...t.config, LOG_LEVEL: 'info' }, database: t.database, serveWeb: false, logStream: { write: (l) => void lines.push(l) } });
    app.get('/api/test-only/boom', async () => {
      throw new Error('boom');
    });
    try {
      const ids: string[] = [];
      for (const [url, code] of [
        ['/api/no-such-thing', 'NOT_FOUND'],
        ['/api/metrics', 'METRICS_DISABLED'],
        ['/api/test-only/boom', 'INTERNAL'],
      ]) {
        const res = await app.inject({ method: 'GET', url });
        const body = res.json();
        expect(body.code, url).toBe(code);
        expect(body.requestId, url).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
        const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.reqId === body.requestId);
        expect(logged.map((l) => l.msg), url).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
        expect(logged.find((l) => l.msg === 'incoming request').req.url, url).toBe(url);
        expect(logged.find((l) => l.msg === 'request completed').res.statusCode, url).toBe(res.statusCode);
        ids.push(body.requestId);
      }
      const unhandled = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
      expect(unhandled).toMatchObject({ reqId: ids[2], requestId: ids[2] });
      expect(unhandled.err.message).toBe('boom');
      expect(new Set(ids).size).toBe(3);
    } finally {
      await app.close();
    }
  });
});
