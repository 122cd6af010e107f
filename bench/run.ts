/** `npm run bench`: performance goals, measured as ratios against a baseline in the same run. */
import { benchEnterpriseList } from './enterprises-list';
import { benchHazardLedger } from './hazard-ledger';
import { benchLedgerFiles } from './ledger-files';
import { printRows, type Row } from './stats';

const rows: Row[] = [];
console.log('Zhiben benchmarks (set BENCH_DATABASE_URL=postgres://… to add PostgreSQL; BENCH_ENTERPRISES to change the size)');
const only = process.env.BENCH_ONLY;
// BENCH_DIALECTS=postgres runs PostgreSQL alone (with BENCH_DATABASE_URL); default: SQLite, plus PostgreSQL when configured.
const dialects = (process.env.BENCH_DIALECTS ?? (process.env.BENCH_DATABASE_URL ? 'sqlite,postgres' : 'sqlite')).split(',') as ('sqlite' | 'postgres')[];
if (!only || only === 'enterprises') {
  for (const d of dialects) rows.push(...(await benchEnterpriseList(d)));
}
if (!only || only === 'hazards' || only === 'dashboard' || only === 'export') {
  for (const d of dialects) rows.push(...(await benchHazardLedger(d)));
}
if (!only || only === 'files') {
  for (const d of dialects) rows.push(...(await benchLedgerFiles(d)));
}
printRows(rows);
