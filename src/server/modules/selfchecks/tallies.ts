/**
 * 自查统计 tallies: per city, district, street, industry and due month — rounds, done on time, done
 * late, rounds with findings, hazards found — and (month '') the enterprises with a schedule. Kept
 * in the transaction that writes the rounds, like the ledger's tallies, so the figures and the rows
 * they count move together; `rebuildSelfCheckTallies` recomputes them from the rows (first start
 * after an upgrade, bulk loads, repair). Overdue is not tallied: it changes with the clock, and is
 * counted from the open rounds (an index of them) when asked.
 */
import type { Kysely } from 'kysely';
import { shanghaiDate } from '../../../shared/dates';
import { insertMany, type DialectName } from '../../db/dialect';
import type { DB, SelfcheckTalliesTable } from '../../db/schema';

type Place = { city_code: string; district_code: string; street_code: string | null; industry_code: string };
type Counts = Pick<SelfcheckTalliesTable, 'enterprises' | 'rounds' | 'on_time' | 'late' | 'with_findings' | 'hazards'>;
const ZERO: Counts = { enterprises: 0, rounds: 0, on_time: 0, late: 0, with_findings: 0, hazards: 0 };
const KEYS = ['level', 'city_code', 'month', 'district_code', 'street_code', 'industry_code'];
const ADD = Object.keys(ZERO);

/**
 * A roll-up's stand-in for "every street" or "every industry". Each count is kept at four levels:
 * per street and industry (SI: what a department's or a street's narrower view needs), per street
 * (S), per industry (I) and per district (D) — so a city's view by district sums some 200 rows for
 * a year, not one per street, industry and month (150,000 at 200,000 enterprises).
 */
export const ALL = '*';
export type TallyLevel = SelfcheckTalliesTable['level'];

/** The roll-up that answers a view which splits or filters by street, by industry, by both or by neither. */
export function tallyLevel(needs: { street: boolean; industry: boolean }): TallyLevel {
  return needs.street ? (needs.industry ? 'SI' : 'S') : needs.industry ? 'I' : 'D';
}

export class SelfCheckDelta {
  private readonly rows = new Map<string, SelfcheckTalliesTable>();

  add(p: Place, month: string, c: Partial<Counts>) {
    const street = p.street_code ?? '';
    for (const [level, s, i] of [
      ['SI', street, p.industry_code],
      ['S', street, ALL],
      ['I', ALL, p.industry_code],
      ['D', ALL, ALL],
    ] as const) {
      const k = `${level}|${p.city_code}|${p.district_code}|${s}|${i}|${month}`;
      let r = this.rows.get(k);
      if (!r) this.rows.set(k, (r = { level, city_code: p.city_code, district_code: p.district_code, street_code: s, industry_code: i, month, ...ZERO }));
      for (const [col, n] of Object.entries(c) as [keyof Counts, number][]) r[col] += n;
    }
  }

  /** A round made (due in its due date's month). */
  round(r: Place & { due_date: string }) {
    this.add(r, r.due_date.slice(0, 7), { rounds: 1 });
  }

  /** A round submitted at `at` with `findings` hazards: on time when submitted by its due date (Shanghai). */
  submitted(r: Place & { due_date: string }, at: Date, findings: number) {
    const onTime = shanghaiDate(at) <= r.due_date;
    this.add(r, r.due_date.slice(0, 7), { on_time: onTime ? 1 : 0, late: onTime ? 0 : 1, with_findings: findings > 0 ? 1 : 0, hazards: findings });
  }

  /** An enterprise got its first schedule. */
  enterprise(p: Place) {
    this.add(p, '', { enterprises: 1 });
  }

  async apply(db: Kysely<DB>, dialect: DialectName) {
    // In key order: two transactions upserting the same rows lock them in the same order (no deadlock on PostgreSQL).
    const rows = [...this.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    await insertMany(db, dialect, 'selfcheck_tallies', rows, { keys: KEYS, add: ADD });
  }
}

/** Recomputes every self-check tally from the rounds and schedules, in the caller's transaction. */
export async function rebuildSelfCheckTallies(trx: Kysely<DB>, dialect: DialectName): Promise<number> {
  await trx.deleteFrom('selfcheck_tallies').execute();
  const d = new SelfCheckDelta();
  for (const e of await trx.selectFrom('selfcheck_enterprises').selectAll().execute()) d.enterprise(e);
  let after = '';
  let n = 0;
  for (;;) {
    const rows = await trx
      .selectFrom('selfcheck_rounds')
      .select(['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'due_date', 'submitted_at', 'findings'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(50_000)
      .execute();
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    n += rows.length;
    for (const r of rows) {
      d.round(r);
      if (r.submitted_at) d.submitted(r, new Date(r.submitted_at), r.findings ?? 0);
    }
  }
  await d.apply(trx, dialect);
  return n;
}
