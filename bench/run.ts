/** `npm run bench`: performance goals, measured as ratios against a baseline in the same run. */
import { benchEnterpriseList } from './enterprises-list';
import { benchHazardLedger } from './hazard-ledger';
import { printRows, type Row } from './stats';

const rows: Row[] = [];
console.log('Zhiben benchmarks (set BENCH_DATABASE_URL=postgres://… to add PostgreSQL; BENCH_ENTERPRISES to change the size)');
const only = process.env.BENCH_ONLY;
if (!only || only === 'enterprises') {
  rows.push(...(await benchEnterpriseList('sqlite')));
  if (process.env.BENCH_DATABASE_URL) rows.push(...(await benchEnterpriseList('postgres')));
}
if (!only || only === 'hazards') {
  rows.push(...(await benchHazardLedger('sqlite')));
  if (process.env.BENCH_DATABASE_URL) rows.push(...(await benchHazardLedger('postgres')));
}
printRows(rows);
