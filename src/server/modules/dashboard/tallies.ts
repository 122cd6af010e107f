/**
 * 驾驶舱汇总 — pre-aggregated hazard counts kept in the same transaction as each hazard change.
 * Every figure is a function of the ledger as it stands (no history is replayed), so the
 * incremental tallies equal a rebuild exactly.
 *
 * A hazard counts once per grouping (a set of dimensions; the others hold '') and measure:
 *
 *   grouping A (area)      district, grade             the city and district figures
 *   grouping R (region)    district, street, grade     streets (breakdown and street views)
 *   grouping I (industry)  district, division, grade   departments (the industries they supervise)
 *   grouping S (source)    district, source, grade     open and found only
 *   grouping X (section)   district, section, grade    open and found only (industry section, 门类)
 *   grouping D (district)  district                    days from finding to closure only
 *
 * A, I, S, X and D also keep a city-wide copy with district '*', so a city-level view reads a few
 * rows per figure instead of summing every district's.
 *
 *   measure     period          extra           counts
 *   open        ''              year found      hazards open now; A/R/I also by supervision level
 *   due         deadline        ''              open hazards with a deadline, by supervision level (A/R/I),
 *   due_month   deadline month  ''              kept three times: by the deadline's day, month and year.
 *   due_year    deadline year   ''              Overdue (deadline before today) reads the years before
 *                                               this one, this year's months before this one and this
 *                                               month's days before today: a row per earlier year and
 *                                               at most 11 + 30 more a key, each read an index range
 *                                               (the deadline is the period, right after the district)
 *   found       month found     year found      hazards not voided, by the month found (S/X: neither
 *                                               grade nor year found, which nothing asks of them)
 *   closed      month closed    year found      closed hazards, by the month closed (A/R/I)
 *   spot        month closed    ''              of those, fixed on the spot (A/R/I)
 *   days        month closed    whole days      closed hazards by days from finding to closure, ≤ 366 (D)
 *
 * Open at the end of an earlier month is what the ledger now says of it: hazards found by then and
 * not closed by then (as the 区情月报 counts it), so it follows from open, found and closed.
 * Months and days are Shanghai's. Every command that changes a hazard calls `tallyHazardChange`
 * with the row before and after; `rebuildTallies` recomputes everything from the ledger.
 */
import type { Kysely } from 'kysely';
import { OPEN_STATUSES, type HazardStatus } from '../../../shared/contracts/hazards';
import { insertMany, type DialectName } from '../../db/dialect';
import { TALLY_CITY_WIDE, type DB, type EnterpriseOpenTalliesTable, type HazardsTable, type HazardTalliesTable } from '../../db/schema';
import { readReference, type IndustriesFile } from '../../seed/reference';
import { shanghaiDateOfInstant } from '../../../shared/dates';
import { eventIs } from '../hazards/event-actions';

/** The facts of a hazard that the tallies count. */
export type TallyHazard = Pick<
  HazardsTable,
  'city_code' | 'district_code' | 'street_code' | 'industry_code' | 'enterprise_id' | 'grade' | 'source' | 'supervision_level' | 'status' | 'found_at' | 'closed_at' | 'deadline'
> & { on_spot: boolean };
/** The ledger row's part of `TallyHazard`. */
export type TallyRow = Omit<TallyHazard, 'on_spot'>;

type TallyKey = Omit<HazardTalliesTable, 'n'>;
type Grouping = 'A' | 'R' | 'I' | 'S' | 'X' | 'D';

const DAY_MS = 86_400_000;
const MAX_TALLY_DAYS = 366;
export const CITY_WIDE = TALLY_CITY_WIDE;
/** Groupings that also keep the city-wide copy. */
export const ROLLED_UP: ReadonlySet<string> = new Set(['A', 'I', 'S', 'X', 'D']);
const isOpen = (s: HazardStatus) => OPEN_STATUSES.includes(s);
/** The Shanghai month (`YYYY-MM`) of a stored instant (`db/instants.ts`). */
export const shanghaiMonth = (ms: number) => shanghaiDateOfInstant(ms).slice(0, 7);

let sections: Map<string, string> | null = null;
/** GB/T 4754 division → section, from the shipped reference file. */
export function sectionOf(division: string | null): string {
  if (!sections) {
    sections = new Map();
    for (const s of readReference<IndustriesFile>('industry-gbt4754.json').sections) for (const d of s.divisions) sections.set(d.code, s.code);
  }
  return (division && sections.get(division)) ?? '';
}

/** The dimensions of one grouping a hazard counts in, with the counts kept under them. */
interface Dims {
  grouping: Grouping;
  city: string;
  district: string;
  street: string;
  industry: string;
  source: string;
  counts: Map<string, { key: TallyKey; n: number }>;
}

/** Accumulated changes, written with one upsert per table. */
export class TallyDelta {
  // Two levels (the grouping's dimensions, then measure, period, grade, supervision and extra):
  // shorter keys to hash. A hazard's groupings are looked up once for its combination of
  // dimensions, and each measure's key is built once for all the groupings it counts in.
  private readonly groups = new Map<string, Dims>();
  private readonly combos = new Map<string, { main: Dims[]; minor: Dims[] }>();
  readonly enterprises = new Map<string, EnterpriseOpenTalliesTable>();

  /** Every count, keyed by its full key. */
  *entries(): Iterable<{ key: TallyKey; n: number }> {
    for (const g of this.groups.values()) yield* g.counts.values();
  }

  private dims(grouping: Grouping, city: string, district: string, street: string, industry: string, source: string): Dims {
    const k = `${grouping}|${city}|${district}|${street}|${industry}|${source}`;
    let g = this.groups.get(k);
    if (!g) this.groups.set(k, (g = { grouping, city, district, street, industry, source, counts: new Map() }));
    return g;
  }

  /** A, R and I count every measure (main); S and X count found and open only (minor). */
  private groupings(city: string, d: string, street: string, div: string, source: string) {
    const k = `${city}|${d}|${street}|${div}|${source}`;
    let c = this.combos.get(k);
    if (!c) {
      const sec = sectionOf(div);
      c = {
        main: [
          this.dims('A', city, d, '', '', ''),
          this.dims('A', city, CITY_WIDE, '', '', ''),
          this.dims('R', city, d, street, '', ''),
          this.dims('I', city, d, '', div, ''),
          this.dims('I', city, CITY_WIDE, '', div, ''),
        ],
        minor: [this.dims('S', city, d, '', '', source), this.dims('S', city, CITY_WIDE, '', '', source), this.dims('X', city, d, '', sec, ''), this.dims('X', city, CITY_WIDE, '', sec, '')],
      };
      this.combos.set(k, c);
    }
    return c;
  }

  private add(g: Dims, k: string, measure: string, period: string, grade: string, supervision: string, extra: string, n: number) {
    const e = g.counts.get(k);
    if (e) e.n += n;
    else g.counts.set(k, { key: { grouping: g.grouping, measure, city_code: g.city, district_code: g.district, period, street_code: g.street, industry_code: g.industry, grade, source: g.source, supervision, extra }, n });
  }

  /** A hazard's state, added (1) or taken away (-1). */
  count(h: TallyHazard, sign: 1 | -1) {
    this.countRow(h, h.on_spot, sign);
  }

  /**
   * `count` for a ledger row as it stands and whether it was fixed on the spot (bulk writers: no copy
   * of each row). About 30 cells a hazard: the measure keys are built once for all the groupings
   * that count them, and nothing else is allocated for a cell that already exists.
   */
  countRow(h: TallyRow, onSpot: boolean, sign: 1 | -1) {
    if (h.status === 'voided') return;
    const city = h.city_code;
    const d = h.district_code;
    const div = h.industry_code ?? '';
    const grade = h.grade;
    const sup = h.supervision_level;
    const foundDay = shanghaiDateOfInstant(h.found_at);
    const fy = foundDay.slice(0, 4);
    const fm = foundDay.slice(0, 7);
    const open = isOpen(h.status);
    const closedMonth = h.status === 'closed' && h.closed_at ? shanghaiDateOfInstant(h.closed_at).slice(0, 7) : null;
    const { main, minor } = this.groupings(city, d, h.street_code ?? '', div, h.source);
    const each = (groups: Dims[], measure: string, period: string, g: string, s: string, extra: string) => {
      const k = `${measure}|${period}|${g}|${s}|${extra}`;
      for (const group of groups) this.add(group, k, measure, period, g, s, extra, sign);
    };
    each(main, 'found', fm, grade, '', fy);
    each(minor, 'found', fm, '', '', '');
    if (open) {
      each(main, 'open', '', grade, sup, fy);
      each(minor, 'open', '', grade, '', fy);
      const deadline = h.deadline;
      if (deadline) {
        each(main, 'due', deadline, grade, sup, '');
        each(main, 'due_month', deadline.slice(0, 7), grade, sup, '');
        each(main, 'due_year', deadline.slice(0, 4), grade, sup, '');
      }
    }
    if (closedMonth) {
      each(main, 'closed', closedMonth, grade, '', fy);
      if (onSpot) each(main, 'spot', closedMonth, grade, '', '');
      const days = String(Math.max(0, Math.min(MAX_TALLY_DAYS, Math.floor((h.closed_at! - h.found_at) / DAY_MS))));
      each([this.dims('D', city, d, '', '', ''), this.dims('D', city, CITY_WIDE, '', '', '')], 'days', closedMonth, '', '', days);
    }
    if (open) {
      const k = `${h.enterprise_id}|${d}`; // an enterprise's open hazards, by district
      let e = this.enterprises.get(k);
      if (!e) this.enterprises.set(k, (e = { enterprise_id: h.enterprise_id, district_code: d, street_code: h.street_code ?? '', city_code: city, industry_code: div, open: 0, open_major: 0 }));
      e.open += sign;
      if (grade === 'major') e.open_major += sign;
    }
  }

  /** A hazard went from `before` to `after` (null: did not exist). */
  change(before: TallyHazard | null, after: TallyHazard | null) {
    if (before) this.count(before, -1);
    if (after) this.count(after, 1);
  }
}

const PK = ['grouping', 'measure', 'city_code', 'district_code', 'period', 'street_code', 'industry_code', 'grade', 'source', 'supervision', 'extra'] as const;

/** Writes the delta (in the caller's transaction). */
export async function applyTallyDelta(db: Kysely<DB>, dialect: DialectName, delta: TallyDelta): Promise<void> {
  const rows = [...delta.entries()].filter((e) => e.n !== 0).map((e) => ({ ...e.key, n: e.n }));
  await insertMany(db, dialect, 'hazard_tallies', rows, { keys: [...PK], add: ['n'] });
  const ents = [...delta.enterprises.values()].filter((e) => e.open !== 0 || e.open_major !== 0);
  await insertMany(db, dialect, 'enterprise_open_tallies', ents, { keys: ['enterprise_id', 'district_code'], add: ['open', 'open_major'] });
}

/** One hazard changed: update the tallies in the same transaction. */
export async function tallyHazardChange(db: Kysely<DB>, dialect: DialectName, before: TallyHazard | null, after: TallyHazard | null): Promise<void> {
  const d = new TallyDelta();
  d.change(before, after);
  await applyTallyDelta(db, dialect, d);
}

const TALLY_COLUMNS = ['id', 'num', 'city_code', 'district_code', 'street_code', 'industry_code', 'enterprise_id', 'grade', 'source', 'supervision_level', 'status', 'found_at', 'closed_at', 'deadline'] as const;
type LedgerRow = Pick<HazardsTable, (typeof TALLY_COLUMNS)[number]>;

/** Hazards written in bulk (seeds, bulk loads); `onSpot` holds the numbers of those fixed on the spot. */
export function tallyLoaded(delta: TallyDelta, rows: LedgerRow[], onSpot: ReadonlySet<number>) {
  for (const r of rows) delta.countRow(r, onSpot.has(r.num), 1);
}

/**
 * Recomputes every tally from the ledger, in the caller's transaction (readers see the old or the
 * new figures, never a mix). For the first start, after bulk loads, and as a repair.
 */
export async function rebuildTallies(trx: Kysely<DB>, dialect: DialectName, now: Date): Promise<{ hazards: number; tallies: number }> {
  const spot = new Set((await trx.selectFrom('hazard_events').select('hazard_num').where(eventIs('fix_on_spot')).execute()).map((r) => r.hazard_num));
  const delta = new TallyDelta();
  let after = '';
  let hazards = 0;
  for (;;) {
    const rows = await trx.selectFrom('hazards').select(TALLY_COLUMNS).where('id', '>', after).orderBy('id').limit(10_000).execute();
    if (!rows.length) break;
    tallyLoaded(delta, rows, spot);
    hazards += rows.length;
    after = rows[rows.length - 1].id;
  }
  await trx.deleteFrom('hazard_tallies').execute();
  await trx.deleteFrom('enterprise_open_tallies').execute();
  await applyTallyDelta(trx, dialect, delta);
  await trx.deleteFrom('tally_state').execute();
  await trx.insertInto('tally_state').values({ id: 1, built_at: now.toISOString() }).execute();
  return { hazards, tallies: [...delta.entries()].filter((e) => e.n !== 0).length };
}

/** At start: builds the tallies once for a database that has none yet (a new or upgraded one). */
export async function ensureTallies(db: Kysely<DB>, dialect: DialectName, now: Date): Promise<boolean> {
  const built = await db.selectFrom('tally_state').select('id').executeTakeFirst();
  if (built) return false;
  await db.transaction().execute((trx) => rebuildTallies(trx, dialect, now));
  return true;
}
