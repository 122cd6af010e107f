/**
 * The operations view (#13): `GET /api/metrics` in the Prometheus text exposition format 0.0.4,
 * from a small registry of our own (counters, histograms, gauges read at scrape time) rather than
 * a client library. HTTP figures belong to the app that answered them (one registry per
 * `buildApp`); background jobs and the process itself are per process (module level), since jobs
 * run outside any request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { AppError } from '../errors/app-error';

type Labels<L extends string> = Record<L, string>;
interface Sample<L extends string> {
  labels: Labels<L>;
  value: number;
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const formatValue = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

function sampleLine(name: string, labels: [string, string][], value: number): string {
  const text = labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
  return `${name}${text ? `{${text}}` : ''} ${formatValue(value)}`;
}

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

/** Series of one metric, keyed by their label values in the metric's label order. */
class SeriesMap<L extends string, S> {
  private readonly series = new Map<string, { labels: [string, string][]; state: S }>();
  constructor(
    private readonly labelNames: readonly L[],
    private readonly fresh: () => S,
  ) {}
  get(labels: Labels<L>): S {
    const values = this.labelNames.map((n) => labels[n]);
    const key = JSON.stringify(values);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: this.labelNames.map((n, i) => [n, values[i]]), state: this.fresh() };
      this.series.set(key, entry);
    }
    return entry.state;
  }
  entries() {
    return this.series.values();
  }
}

export class Counter<L extends string> implements Metric {
  readonly type = 'counter';
  private readonly series: SeriesMap<L, { value: number }>;
  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly L[],
  ) {
    this.series = new SeriesMap(labelNames, () => ({ value: 0 }));
  }
  inc(labels: Labels<L>, by = 1): void {
    this.series.get(labels).value += by;
  }
  lines(): string[] {
    return [...this.series.entries()].map((s) => sampleLine(this.name, s.labels, s.state.value));
  }
}

export class Histogram<L extends string> implements Metric {
  readonly type = 'histogram';
  private readonly series: SeriesMap<L, { counts: number[]; sum: number; count: number }>;
  constructor(
    readonly name: string,
    readonly help: string,
    labelNames: readonly L[],
    private readonly buckets: readonly number[],
  ) {
    this.series = new SeriesMap(labelNames, () => ({ counts: buckets.map(() => 0), sum: 0, count: 0 }));
  }
  observe(labels: Labels<L>, value: number): void {
    const s = this.series.get(labels);
    const i = this.buckets.findIndex((le) => value <= le);
    if (i >= 0) s.counts[i] += 1;
    s.sum += value;
    s.count += 1;
  }
  lines(): string[] {
    const out: string[] = [];
    for (const { labels, state } of this.series.entries()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += state.counts[i];
        out.push(sampleLine(`${this.name}_bucket`, [...labels, ['le', formatValue(le)]], cumulative));
      });
      out.push(sampleLine(`${this.name}_bucket`, [...labels, ['le', '+Inf']], state.count));
      out.push(sampleLine(`${this.name}_sum`, labels, state.sum));
      out.push(sampleLine(`${this.name}_count`, labels, state.count));
    }
    return out;
  }
}

/** A gauge whose samples are read when scraped. */
export class Gauge<L extends string> implements Metric {
  readonly type = 'gauge';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly collect: () => Sample<L>[],
  ) {}
  lines(): string[] {
    return this.collect().map((s) => sampleLine(this.name, this.labelNames.map((n) => [n, s.labels[n]]), s.value));
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  private add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]) {
    return this.add(new Counter(name, help, labelNames));
  }
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: readonly number[]) {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: () => Sample<L>[]) {
    return this.add(new Gauge(name, help, labelNames, collect));
  }
  render(): string {
    return this.metrics.map((m) => [`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`, ...m.lines(), ''].join('\n')).join('');
  }
}

// Per process: background jobs and the process itself.
const processMetrics = new Registry();
const jobRuns = processMetrics.counter('zhiben_job_runs_total', 'Background job runs in this process, by job and outcome (ran, skipped: another process had the period, failed, interrupted)', ['job', 'outcome']);
const jobDurations = processMetrics.histogram('zhiben_job_duration_seconds', 'How long background jobs ran in this process (skipped runs not counted)', ['job'], [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600]);
const startedAt = Date.now() / 1000 - process.uptime();
processMetrics.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds', [], () => [{ labels: {}, value: Math.round(startedAt) }]);
processMetrics.gauge('process_resident_memory_bytes', 'Resident memory of the process, in bytes', [], () => [{ labels: {}, value: process.memoryUsage.rss() }]);
processMetrics.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes', [], () => [{ labels: {}, value: process.memoryUsage().heapUsed }]);

// Sampled only once an app serves metrics; each scrape reads and restarts the window. The monitor
// times its own timer, so a free loop reads as the resolution: only what exceeds it is delay.
const LOOP_RESOLUTION_MS = 20;
let loopDelay: ReturnType<typeof monitorEventLoopDelay> | null = null;
const beyondResolution = (ns: number) => Math.max(0, ns / 1e9 - LOOP_RESOLUTION_MS / 1000);
processMetrics.gauge('nodejs_eventloop_delay_seconds', 'Event loop delay since the previous scrape: 99th percentile and maximum', ['stat'], () => {
  if (!loopDelay || loopDelay.count === 0) return [];
  const samples = [
    { labels: { stat: 'p99' }, value: beyondResolution(loopDelay.percentile(99)) },
    { labels: { stat: 'max' }, value: beyondResolution(loopDelay.max) },
  ];
  loopDelay.reset();
  return samples;
});

export type JobOutcome = 'ran' | 'skipped' | 'failed' | 'interrupted';

/** Counts a background job's run (periodic jobs, imports, exports); its duration unless it skipped. */
export function recordJob(job: string, outcome: JobOutcome, seconds: number): void {
  jobRuns.inc({ job, outcome });
  if (outcome !== 'skipped') jobDurations.observe({ job }, seconds);
}

const METRICS_PATH = '/api/metrics';
const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts a problem answer by its stable code (called by sendProblem, for every problem, routed or not). */
    countProblem?: (code: string) => void;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Equal-length digests: the comparison takes the same time whatever was sent, and tells nothing of the token's length. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/**
 * Counts every answer and serves the metrics. Call after the error handler is set and before the
 * routes are registered. Scrapes are not counted as requests (a scraper every 15 s would dominate
 * a quiet installation's figures); their refusals still count under `zhiben_http_errors_total`.
 * So do URLs the router refuses before routing (a malformed %-escape, INVALID_URL): Fastify runs
 * no hooks for them, so they are not among the requests.
 */
export function registerMetrics(app: FastifyInstance, opts: { token: string | undefined; database: Pick<Database, 'poolStats'> }): void {
  const registry = new Registry();
  const requests = registry.counter('zhiben_http_requests_total', 'HTTP requests answered, by method, route pattern and status', ['method', 'route', 'status']);
  const durations = registry.histogram('zhiben_http_request_duration_seconds', 'Time to answer HTTP requests, by method and route pattern', ['method', 'route'], HTTP_BUCKETS);
  const errors = registry.counter('zhiben_http_errors_total', 'Problem answers (RFC 9457), by their stable code', ['code']);
  registry.gauge('zhiben_db_pool_connections', 'Database connections by state (SQLite: its one connection, and the queries waiting for it)', ['state'], () => {
    const stats = opts.database.poolStats?.();
    return stats ? (['total', 'idle', 'waiting'] as const).map((state) => ({ labels: { state }, value: stats[state] })) : [];
  });
  loopDelay ??= monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();

  app.decorate('countProblem', (code: string) => errors.inc({ code }));
  app.addHook('onResponse', async (request, reply) => {
    // The pattern, never the URL: one series per route however many ids are asked for. Whatever
    // the router does not know (the web app's own pages included) is "unmatched".
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    if (route === METRICS_PATH) return;
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    durations.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (!opts.token) {
      throw new AppError('METRICS_DISABLED', '指标接口未启用：请设置 METRICS_TOKEN（至少 16 个字符）后重启服务', 'Metrics are disabled: set METRICS_TOKEN (at least 16 characters) and restart the server');
    }
    if (!bearerMatches(request.headers.authorization, opts.token)) {
      throw new AppError('METRICS_TOKEN_REQUIRED', '读取指标需要令牌：请求头 Authorization: Bearer <METRICS_TOKEN>', 'Metrics need the token: send Authorization: Bearer <METRICS_TOKEN>', {
        headers: { 'www-authenticate': 'Bearer realm="zhiben-metrics"' },
      });
    }
    return reply.type(METRICS_CONTENT_TYPE).header('cache-control', 'no-store').send(registry.render() + processMetrics.render());
  });
}
