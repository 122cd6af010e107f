/**
 * 季度执法通报 figures per city, district and quarter — inspections done (planned, triggered,
 * unannounced), hazards and major hazards they found, cases filed, decisions, fines and their amount —
 * kept in the transaction that writes the inspection or case, like the cockpit's tallies; the city's
 * figures sum its districts. `rebuildEnforcementTallies` recomputes them from the rows.
 */
import type { Kysely } from 'kysely';
import { PLANNED_TYPES, type InspectionType } from '../../../shared/contracts/enforcement';
import { periodOf } from '../../../shared/periods';
import { insertMany, type DialectName } from '../../db/dialect';
import type { DB, EnforcementTalliesTable } from '../../db/schema';

type Counts = Omit<EnforcementTalliesTable, 'city_code' | 'district_code' | 'quarter'>;
const ZERO: Counts = { inspections: 0, planned: 0, triggered: 0, unannounced: 0, hazards: 0, major_hazards: 0, findings_closed: 0, findings_voided: 0, cases: 0, decisions: 0, fines: 0, fine_fen: 0 };
const KEYS = ['city_code', 'district_code', 'quarter'];
const ADD = Object.keys(ZERO);

/** `2026-11-03` → `2026Q4` (the bulletin's quarter: the self-check period's, written without the dash). */
export const quarterOf = (date: string): string => periodOf('quarterly', date).key.replace('-', '');

/** `2026Q4` → its first and last day. */
export function quarterSpan(q: string): { from: string; to: string } {
  const p = periodOf('quarterly', `${q.slice(0, 4)}-${String(Number(q.slice(-1)) * 3).padStart(2, '0')}-01`);
  return { from: p.start, to: p.due };
}

type Place = { city_code: string; district_code: string };

export class EnforcementDelta {
  private readonly rows = new Map<string, EnforcementTalliesTable>();

  add(p: Place, date: string, c: Partial<Counts>) {
    const quarter = quarterOf(date);
    const k = `${p.city_code}|${p.district_code}|${quarter}`;
    let r = this.rows.get(k);
    if (!r) this.rows.set(k, (r = { city_code: p.city_code, district_code: p.district_code, quarter, ...ZERO }));
    for (const [col, n] of Object.entries(c) as [keyof Counts, number][]) r[col] += n;
  }

  /** An inspection finished, counted in its date's quarter with the hazards it found (and of them, those closed or voided already). */
  finished(i: Place & { date: string; type: InspectionType; unannounced: number; findings: number; major_findings: number }, now: { closed: number; voided: number } = { closed: 0, voided: 0 }) {
    const planned = PLANNED_TYPES.includes(i.type);
    this.add(i, i.date, { inspections: 1, planned: planned ? 1 : 0, triggered: planned ? 0 : 1, unannounced: i.unannounced ? 1 : 0, hazards: i.findings, major_hazards: i.major_findings, findings_closed: now.closed, findings_voided: now.voided });
  }

  /** A finding of a finished inspection changed status: closed or voided, or back from it. */
  finding(i: Place & { date: string }, from: string, to: string) {
    const d = (s: string) => (to === s ? 1 : 0) - (from === s ? 1 : 0);
    if (d('closed') || d('voided')) this.add(i, i.date, { findings_closed: d('closed'), findings_voided: d('voided') });
  }

  filed(c: Place & { filed_on: string }) {
    this.add(c, c.filed_on, { cases: 1 });
  }

  decided(c: Place & { decided_on: string; decision: string; fine_fen: number | null }) {
    const fine = c.decision === 'fine' ? 1 : 0;
    this.add(c, c.decided_on, { decisions: 1, fines: fine, fine_fen: fine ? (c.fine_fen ?? 0) : 0 });
  }

  async apply(db: Kysely<DB>, dialect: DialectName) {
    // In key order, so two transactions lock the same rows in the same order.
    const rows = [...this.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    if (rows.length) await insertMany(db, dialect, 'enforcement_tallies', rows, { keys: KEYS, add: ADD });
  }
}

/** Recomputes every enforcement tally from the inspections and cases, in the caller's transaction. */
export async function rebuildEnforcementTallies(trx: Kysely<DB>, dialect: DialectName): Promise<void> {
  await trx.deleteFrom('enforcement_tallies').execute();
  const d = new EnforcementDelta();
  let after = '';
  for (;;) {
    const rows = await trx
      .selectFrom('inspections')
      .select(['id', 'city_code', 'district_code', 'date', 'type', 'unannounced', 'findings', 'major_findings'])
      .where('status', '=', 'finished')
      .where('id', '>', after)
      .orderBy('id')
      .limit(50_000)
      .execute();
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    const now = await findingStates(trx, rows.map((r) => r.id));
    for (const r of rows) d.finished(r, now.get(r.id));
  }
  for (const c of await trx.selectFrom('cases').select(['city_code', 'district_code', 'filed_on', 'decided_on', 'decision', 'fine_fen']).execute()) {
    d.filed(c);
    if (c.decided_on && c.decision) d.decided({ ...c, decided_on: c.decided_on, decision: c.decision });
  }
  await d.apply(trx, dialect);
}

/** Per inspection: how many of its findings are closed and voided now. */
export async function findingStates(db: Kysely<DB>, inspectionIds: string[]): Promise<Map<string, { closed: number; voided: number }>> {
  const out = new Map<string, { closed: number; voided: number }>();
  for (let i = 0; i < inspectionIds.length; i += 5_000) {
    const rows = await db
      .selectFrom('hazard_origins as o')
      .innerJoin('hazards as h', 'h.id', 'o.hazard_id')
      .select(['o.origin_id', 'h.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('o.origin_type', '=', 'inspection')
      .where('o.origin_id', 'in', inspectionIds.slice(i, i + 5_000))
      .where('h.status', 'in', ['closed', 'voided'])
      .groupBy(['o.origin_id', 'h.status'])
      .execute();
    for (const r of rows) {
      const e = out.get(r.origin_id) ?? { closed: 0, voided: 0 };
      e[r.status as 'closed' | 'voided'] += Number(r.n);
      out.set(r.origin_id, e);
    }
  }
  return out;
}

/** The origin observer (registered in app.ts): a finished inspection's finding closed, voided or reopened moves its quarter's figures. */
export async function inspectionFindingMoved(c: { db: Kysely<DB>; dialect: DialectName; originId: string; from: string; to: string }): Promise<void> {
  const i = await c.db.selectFrom('inspections').select(['city_code', 'district_code', 'date', 'status']).where('id', '=', c.originId).executeTakeFirst();
  if (!i || i.status !== 'finished') return;
  const d = new EnforcementDelta();
  d.finding(i, c.from, c.to);
  await d.apply(c.db, c.dialect);
}
