/** `npm run bench`: performance goals, measured as ratios against a baseline in the same run. */
import { execFileSync } from 'node:child_process';
import { benchEnforcement } from './enforcement';
import { benchEnterpriseList } from './enterprises-list';
import { benchHazardLedger } from './hazard-ledger';
import { benchReads } from './reads';
import { benchSelfChecks } from './selfchecks';
import { printRows, type Row } from './stats';

const rows: Row[] = [];
console.log('Zhiben benchmarks (set BENCH_DATABASE_URL=postgres://… to add PostgreSQL; BENCH_ENTERPRISES to change the size)');
const only = process.env.BENCH_ONLY;
// BENCH_DIALECTS=postgres runs PostgreSQL alone (with BENCH_DATABASE_URL); default: SQLite, plus PostgreSQL when configured.
const dialects = (process.env.BENCH_DIALECTS ?? (process.env.BENCH_DATABASE_URL ? 'sqlite,postgres' : 'sqlite')).split(',') as ('sqlite' | 'postgres')[];
if (!only || only === 'enterprises') {
  for (const d of dialects) rows.push(...(await benchEnterpriseList(d)));
}
if (!only || only === 'hazards' || only === 'dashboard' || only === 'export' || only === 'backup') {
  for (const d of dialects) rows.push(...(await benchHazardLedger(d)));
}
if (!only || only === 'selfchecks') {
  for (const d of dialects) rows.push(...(await benchSelfChecks(d)));
}
if (!only || only === 'enforcement') {
  for (const d of dialects) rows.push(...(await benchEnforcement(d)));
}
// Issue 23: cold reads over real HTTP against the server as started, one process and several (SQLite).
if (!only || only === 'reads') rows.push(...(await benchReads()));
if (!only || only === 'files') {
  for (const d of dialects) rows.push(...(await inOwnProcess(d)));
}
printRows(rows);

/** The ledger-files bench for one database, in a process of its own (ledger-files-child.ts). */
function inOwnProcess(dialect: 'sqlite' | 'postgres'): Row[] {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL('./ledger-files-child.ts', import.meta.url).pathname, dialect], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Row[];
}
