import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A data folder of the bench's own (the key file of sealed fields is made there), never the checkout's ./data. */
export const benchDataDir = (): string => mkdtempSync(path.join(tmpdir(), 'zhiben-bench-data-'));

export interface Row {
  bench: string;
  case: string;
  p50: number;
  p95: number;
  baselineP50: number;
  ratio: number;
  goal: string;
  /** null: the goal is not set for this database (measured for information). */
  met: boolean | null;
}

export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Runs `fn` after a warm-up, answering each run's milliseconds. */
export async function timeIt(fn: () => Promise<unknown>, runs = Number(process.env.BENCH_RUNS ?? 200), warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function printRows(rows: Row[]) {
  const f = (n: number) => n.toFixed(2).padStart(8);
  console.log(`\n${'benchmark / case'.padEnd(62)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'base p50'.padStart(9)}${'ratio'.padStart(7)}  goal`);
  for (const r of rows) {
    console.log(`${`${r.bench} — ${r.case}`.padEnd(62)}${f(r.p50)}${f(r.p95)}${f(r.baselineP50).padStart(9)}${r.ratio.toFixed(2).padStart(7)}  ${r.goal} ${r.met === null ? (r.goal.includes('for information') ? '' : '(goal set for SQLite; measured for information)') : r.met ? '✓' : '✗ NOT MET'}`);
  }
}

/** Runs `fn` while sampling RSS and timing a health request every 100 ms; answers time, peak RSS and those latencies. */
export async function measure(
  app: { inject: (o: { method: 'GET' | 'POST'; url: string; headers: Record<string, string> }) => Promise<unknown> },
  cookie: string,
  fn: () => Promise<unknown>,
  opts: { write?: string } = {},
) {
  // Start each phase from a collected heap (npm run bench exposes gc), so a phase is not charged for the last one's garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  // RSS keeps memory freed earlier; what the phase itself holds shows in heap + buffers.
  const held = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const heldStart = held();
  let heldPeak = heldStart;
  const latencies: number[] = [];
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, process.memoryUsage().rss);
      heldPeak = Math.max(heldPeak, held());
      const t0 = performance.now();
      await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  // `write`: a small write (a POST to that URL) every 250 ms as well — on SQLite it waits for the write lock a bulk job holds.
  const writes: number[] = [];
  let writeErrors = 0;
  const writer = opts.write
    ? (async () => {
        while (running) {
          const t0 = performance.now();
          const r = (await app.inject({ method: 'POST', url: opts.write!, headers: { cookie, 'x-requested-with': 'zhiben' } })) as { statusCode: number };
          writes.push(performance.now() - t0);
          if (r.statusCode >= 400) writeErrors++;
          await new Promise((r) => setTimeout(r, 250));
        }
      })()
    : null;
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  running = false;
  await sampler;
  await writer;
  return {
    ms,
    startMb: start / 1024 / 1024,
    peakMb: peak / 1024 / 1024,
    heldMb: (heldPeak - heldStart) / 1024 / 1024,
    p95: percentile(latencies.length ? latencies : [0], 95),
    max: Math.max(0, ...latencies),
    writeP95: percentile(writes.length ? writes : [0], 95),
    writeMax: Math.max(0, ...writes),
    writes: writes.length,
    writeErrors,
  };
}

