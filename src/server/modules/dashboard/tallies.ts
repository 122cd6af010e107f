/**
 * 驾驶舱汇总 — pre-aggregated hazard counts kept in the same transaction as each hazard change.
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
 *   measure  period          extra              counts
 *   open     ''              year found         hazards open now; A/R/I also by supervision level
 *   due      ''              deadline           open hazards with a deadline, by supervision level: overdue = extra < today
 *   found    month found     ''                 hazards not voided, by the month found
 *   closed   month closed    ''                 closed hazards, by the month closed
 *   spot     month closed    ''                 of those, fixed on the spot
 *   done     ''              ''                 closed hazards, all time (the closure rate)
 *   days     month closed    whole days         closed hazards by days from finding to closure, ≤ 366 (D)
 *   in/out   month changed   year found         hazards entering / leaving the open set: last month's
 *                                               open count and the stock lines go back from now
 *
 * Months and days are Shanghai's. Every command that changes a hazard calls `tallyHazardChange`
 * with the row before and after; `rebuildTallies` recomputes everything from the ledger (first
 * start, after bulk loads) and the two are tested to agree.
 */
import type { Kysely } from 'kysely';
import { OPEN_STATUSES, type HazardStatus } from '../../../shared/contracts/hazards';
import type { DB, EnterpriseOpenTalliesTable, HazardsTable, HazardTalliesTable } from '../../db/schema';
import { readReference, type IndustriesFile } from '../../seed/reference';
import { shanghaiDate } from '../hazards/workflow';

/** The facts of a hazard that the tallies count. */
export type TallyHazard = Pick<
  HazardsTable,
  'city_code' | 'district_code' | 'street_code' | 'industry_code' | 'enterprise_id' | 'grade' | 'source' | 'supervision_level' | 'status' | 'found_at' | 'closed_at' | 'deadline'
> & { on_spot: boolean };

export type TallyKey = Omit<HazardTalliesTable, 'n'>;
type Grouping = 'A' | 'R' | 'I' | 'S' | 'X' | 'D';

const DAY_MS = 86_400_000;
export const MAX_TALLY_DAYS = 366;
const isOpen = (s: HazardStatus) => OPEN_STATUSES.includes(s);
export const shanghaiMonth = (iso: string) => shanghaiDate(new Date(iso)).slice(0, 7);
const foundYear = (h: TallyHazard) => shanghaiDate(new Date(h.found_at)).slice(0, 4);

let sections: Map<string, string> | null = null;
/** GB/T 4754 division → section, from the shipped reference file. */
export function sectionOf(division: string | null): string {
  if (!sections) {
    sections = new Map();
    for (const s of readReference<IndustriesFile>('industry-gbt4754.json').sections) for (const d of s.divisions) sections.set(d.code, s.code);
  }
  return (division && sections.get(division)) ?? '';
}

const BY_SUPERVISION = new Set(['open', 'due']);

function dims(g: Grouping, measure: string, h: TallyHazard) {
  const d = { city_code: h.city_code, district_code: h.district_code, street_code: '', industry_code: '', grade: g === 'D' ? '' : h.grade, source: '', supervision: '' };
  if ((g === 'A' || g === 'R' || g === 'I') && BY_SUPERVISION.has(measure)) d.supervision = h.supervision_level;
  if (g === 'R') d.street_code = h.street_code ?? '';
  if (g === 'I') d.industry_code = h.industry_code ?? '';
  if (g === 'X') d.industry_code = sectionOf(h.industry_code);
  if (g === 'S') d.source = h.source;
  return d;
}

const key = (g: Grouping, measure: string, h: TallyHazard, period: string, extra: string): TallyKey => ({ grouping: g, measure, period, extra, ...dims(g, measure, h) });

/** Groupings that also keep a city-wide copy (district '*'). */
const ROLLED_UP: ReadonlySet<Grouping> = new Set(['A', 'I', 'S', 'X', 'D']);
export const CITY_WIDE = '*';
const withRollup = (k: TallyKey): TallyKey[] => (ROLLED_UP.has(k.grouping as Grouping) ? [k, { ...k, district_code: CITY_WIDE }] : [k]);

const MAIN = ['A', 'R', 'I'] as const;

/** What a hazard in this state adds to the tallies (flows excepted). */
export function stateKeys(h: TallyHazard): TallyKey[] {
  const out: TallyKey[] = [];
  if (h.status === 'voided') return out;
  const open = isOpen(h.status);
  const found = shanghaiMonth(h.found_at);
  for (const g of ['A', 'R', 'I', 'S', 'X'] as const) {
    out.push(key(g, 'found', h, found, ''));
    if (open) out.push(key(g, 'open', h, '', foundYear(h)));
  }
  for (const g of MAIN) {
    if (open && h.deadline) out.push(key(g, 'due', h, '', h.deadline));
    if (h.status === 'closed' && h.closed_at) {
      const m = shanghaiMonth(h.closed_at);
      out.push(key(g, 'closed', h, m, ''), key(g, 'done', h, '', ''));
      if (h.on_spot) out.push(key(g, 'spot', h, m, ''));
    }
  }
  if (h.status === 'closed' && h.closed_at) {
    const days = Math.max(0, Math.min(MAX_TALLY_DAYS, Math.floor((Date.parse(h.closed_at) - Date.parse(h.found_at)) / DAY_MS)));
    out.push(key('D', 'days', h, shanghaiMonth(h.closed_at), String(days)));
  }
  return out.flatMap(withRollup);
}

const keyString = (k: TallyKey) => [k.grouping, k.measure, k.city_code, k.district_code, k.period, k.street_code, k.industry_code, k.grade, k.source, k.supervision, k.extra].join('|');
const entKeyString = (e: Pick<EnterpriseOpenTalliesTable, 'enterprise_id' | 'district_code'>) => `${e.enterprise_id}|${e.district_code}`;

/** Accumulated changes, written with one upsert per table. */
export class TallyDelta {
  readonly counts = new Map<string, { key: TallyKey; n: number }>();
  readonly enterprises = new Map<string, EnterpriseOpenTalliesTable>();

  add(k: TallyKey, n: number) {
    const s = keyString(k);
    const e = this.counts.get(s);
    if (e) e.n += n;
    else this.counts.set(s, { key: k, n });
  }

  private addEnterprise(h: TallyHazard, sign: number) {
    const row = { enterprise_id: h.enterprise_id, district_code: h.district_code, street_code: h.street_code ?? '', city_code: h.city_code, industry_code: h.industry_code ?? '', open: 0, open_major: 0 };
    const s = entKeyString(row);
    const e = this.enterprises.get(s) ?? row;
    e.open += sign;
    if (h.grade === 'major') e.open_major += sign;
    this.enterprises.set(s, e);
  }

  /** A hazard went from `before` to `after` (null: did not exist) at `at`. */
  change(before: TallyHazard | null, after: TallyHazard | null, at: Date) {
    if (before) this.count(before, -1);
    if (after) this.count(after, 1);
    const month = shanghaiDate(at).slice(0, 7);
    for (const g of MAIN) {
      const was = before && isOpen(before.status) ? key(g, 'out', before, month, foundYear(before)) : null;
      const now = after && isOpen(after.status) ? key(g, 'in', after, month, foundYear(after)) : null;
      // Same group before and after: the hazard stayed in the open set, no flow.
      if (was && now && keyString({ ...was, measure: 'in' }) === keyString(now)) continue;
      if (was) for (const k of withRollup(was)) this.add(k, 1);
      if (now) for (const k of withRollup(now)) this.add(k, 1);
    }
  }

  /** A hazard's state, added (1) or taken away (-1). */
  count(h: TallyHazard, sign: 1 | -1) {
    for (const k of stateKeys(h)) this.add(k, sign);
    if (isOpen(h.status)) this.addEnterprise(h, sign);
  }

  /** Rebuild only: the flows a hazard's history implies, from its dates (a reopening is not recorded in them). */
  history(h: TallyHazard & { created_at: string; updated_at: string }) {
    const created = shanghaiMonth(h.created_at);
    const left = h.status === 'closed' ? h.closed_at : h.status === 'voided' ? h.updated_at : null;
    // A hazard brought in already closed was never open here.
    if (h.status === 'closed' && h.closed_at && Date.parse(h.closed_at) <= Date.parse(h.created_at)) return;
    for (const g of MAIN) {
      for (const k of withRollup(key(g, 'in', h, created, foundYear(h)))) this.add(k, 1);
      if (left) for (const k of withRollup(key(g, 'out', h, shanghaiMonth(left), foundYear(h)))) this.add(k, 1);
    }
  }

  get empty() {
    return this.counts.size === 0 && this.enterprises.size === 0;
  }
}

const PK = ['grouping', 'measure', 'city_code', 'district_code', 'period', 'street_code', 'industry_code', 'grade', 'source', 'supervision', 'extra'] as const;

/** Writes the delta (in the caller's transaction). */
export async function applyTallyDelta(db: Kysely<DB>, delta: TallyDelta): Promise<void> {
  const rows = [...delta.counts.values()].filter((e) => e.n !== 0).map((e) => ({ ...e.key, n: e.n }));
  for (let i = 0; i < rows.length; i += 400) {
    await db
      .insertInto('hazard_tallies')
      .values(rows.slice(i, i + 400))
      .onConflict((oc) => oc.columns([...PK]).doUpdateSet((eb) => ({ n: eb('hazard_tallies.n', '+', eb.ref('excluded.n')) })))
      .execute();
  }
  const ents = [...delta.enterprises.values()].filter((e) => e.open !== 0 || e.open_major !== 0);
  for (let i = 0; i < ents.length; i += 400) {
    await db
      .insertInto('enterprise_open_tallies')
      .values(ents.slice(i, i + 400))
      .onConflict((oc) =>
        oc.columns(['enterprise_id', 'district_code']).doUpdateSet((eb) => ({
          open: eb('enterprise_open_tallies.open', '+', eb.ref('excluded.open')),
          open_major: eb('enterprise_open_tallies.open_major', '+', eb.ref('excluded.open_major')),
        })),
      )
      .execute();
  }
}

/** One hazard changed: update the tallies in the same transaction. */
export async function tallyHazardChange(db: Kysely<DB>, before: TallyHazard | null, after: TallyHazard | null, at: Date): Promise<void> {
  const d = new TallyDelta();
  d.change(before, after, at);
  await applyTallyDelta(db, d);
}

/** Whether a hazard was closed by 即查即改 (its closing event says so). */
export async function fixedOnSpot(db: Kysely<DB>, hazardId: string): Promise<boolean> {
  const r = await db.selectFrom('hazard_events').select('hazard_id').where('action', '=', 'fix_on_spot').where('hazard_id', '=', hazardId).executeTakeFirst();
  return !!r;
}

const TALLY_COLUMNS = ['id', 'city_code', 'district_code', 'street_code', 'industry_code', 'enterprise_id', 'grade', 'source', 'supervision_level', 'status', 'found_at', 'closed_at', 'deadline', 'created_at', 'updated_at'] as const;
type LedgerRow = Pick<HazardsTable, (typeof TALLY_COLUMNS)[number]>;

/** Hazards written in bulk (seeds, bulk loads): their state and the history their dates imply. */
export function tallyLoaded(delta: TallyDelta, rows: LedgerRow[], onSpot: ReadonlySet<string>) {
  for (const r of rows) {
    const h = { ...r, on_spot: onSpot.has(r.id) };
    delta.count(h, 1);
    delta.history(h);
  }
}

/**
 * Recomputes every tally from the ledger, in the caller's transaction (readers see the old or the
 * new figures, never a mix). For the first start, after bulk loads, and as a repair.
 */
export async function rebuildTallies(trx: Kysely<DB>, now: Date): Promise<{ hazards: number; tallies: number }> {
  const spot = new Set((await trx.selectFrom('hazard_events').select('hazard_id').where('action', '=', 'fix_on_spot').execute()).map((r) => r.hazard_id));
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
  await applyTallyDelta(trx, delta);
  await trx.deleteFrom('tally_state').execute();
  await trx.insertInto('tally_state').values({ id: 1, built_at: now.toISOString() }).execute();
  return { hazards, tallies: [...delta.counts.values()].filter((e) => e.n !== 0).length };
}

/** At start: builds the tallies once for a database that has none yet (a new or upgraded one). */
export async function ensureTallies(db: Kysely<DB>, now: Date): Promise<boolean> {
  const built = await db.selectFrom('tally_state').select('id').executeTakeFirst();
  if (built) return false;
  await db.transaction().execute((trx) => rebuildTallies(trx, now));
  return true;
}
