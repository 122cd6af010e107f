/** `npm run bench`: performance goals, measured as ratios against a baseline in the same run. */
import { benchEnterpriseList } from './enterprises-list';
import { printRows, type Row } from './stats';

const rows: Row[] = [];
console.log('Zhiben benchmarks (set BENCH_DATABASE_URL=postgres://… to add PostgreSQL; BENCH_ENTERPRISES to change the size)');
rows.push(...(await benchEnterpriseList('sqlite')));
if (process.env.BENCH_DATABASE_URL) rows.push(...(await benchEnterpriseList('postgres')));
printRows(rows);
