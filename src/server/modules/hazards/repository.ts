import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { OPEN_STATUSES, type HazardQuery, type HazardStatus } from '../../../shared/contracts/hazards';
import { compiledPerDatabase } from '../../db/compiled';
import { containsText, joinedValues, rowJson, tieBreaker, tokensMatch, updateMany, type DialectName, type JsonPart } from '../../db/dialect';
import { districtToken, terms } from '../../text/terms';
import { hazardSearchColumn } from './search';
import { bumpLedgerVersion, scopeKey } from './cache';
import type { DB, HazardsTable } from '../../db/schema';
import { isoInstant, startOfShanghaiDay } from '../../db/instants';
import { hazardOwnedWhere, hazardScopeWhere, type Actor, type HazardScopeRow } from '../../scope/scope';
import { shanghaiDate, type HazardFacts } from './workflow';
import { eventIs } from './event-actions';
import { shownFrom } from './event-chain';

export type HazardRow = Selectable<HazardsTable>;
type Names = { enterprise_name: string | null; district_name: string | null; street_name: string | null };
export type HazardView = HazardRow & Names;

/** The columns a ledger page shows (presenter.ts): not the search tokens or the workflow's bookkeeping. */
const LISTED_COLUMNS = [
  'id', 'code', 'status', 'grade', 'source', 'version', 'deadline', 'supervision_level', 'enterprise_id', 'city_code', 'district_code', 'street_code', 'industry_code',
  'department_id', 'description', 'location', 'lng', 'lat', 'category', 'found_by_name', 'found_at', 'responsible_name', 'responsible_phone', 'plan_json', 'closed_at',
  'created_at', 'updated_at',
] as const satisfies readonly (keyof HazardRow)[];
/** The listed columns holding instants (`db/instants.ts`): the API writes them as ISO-8601. */
const INSTANT_COLUMNS: ReadonlySet<string> = new Set(['found_at', 'closed_at', 'created_at', 'updated_at'] satisfies (typeof LISTED_COLUMNS)[number][]);
export type PresentedHazard = Pick<HazardRow, (typeof LISTED_COLUMNS)[number]> & Names;
/** A ledger row with the ids of the clauses it cites, in order. */
export type ListedHazard = PresentedHazard & { clauseIds: string[] };

/**
 * "Status is open", written with literals in the words of the open-hazards index (migration
 * 2026-12-06-28): the planner can use a partial index only when the query's condition is the
 * index's own, and a bound list is not.
 */
export const OPEN_STATUS_SQL = sql<SqlBool>`hazards.status in (${sql.join(OPEN_STATUSES.map((s) => sql.lit(s)))})`;
/** Overdue on `today` (workflow.ts isOverdue, in SQL): open, with a deadline before today (none: never). */
const overdueWhere = (today: string) => sql<SqlBool>`${OPEN_STATUS_SQL} and hazards.deadline < ${today}`;
const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const isOpenSet = (statuses: readonly string[]) => statuses.length === OPEN_STATUSES.length && OPEN_STATUSES.every((s) => statuses.includes(s));

function scoped(db: Kysely<DB>, actor: Actor, asked: { districtCode?: string } = {}) {
  return db.selectFrom('hazards').where(hazardScopeWhere<DB, 'hazards'>(actor, asked));
}

/**
 * SQL form of `awaitsActor` (workflow.ts): the hazards waiting for this actor's next step (待我处理).
 * Tested against the pure rule for every demo role.
 */
export function hazardTodoWhere(actor: Actor) {
  return (eb: ExpressionBuilder<DB, 'hazards'>): Expression<SqlBool> => {
    const owned = hazardOwnedWhere<DB, 'hazards'>(actor)(eb);
    const me = actor.userId;
    // Nobody is waited for to accept what they submitted, or to confirm their own first acceptance.
    const notMine = sql<SqlBool>`(coalesce(hazards.submitted_by, '') <> ${me} and coalesce(hazards.first_accepted_by, '') <> ${me})`;
    const status = (s: HazardStatus) => eb('hazards.status', '=', s);
    const foundByOthers = eb.and([status('reported'), eb('hazards.source', '!=', 'self_check')]);
    switch (actor.role) {
      case 'enterprise':
        return eb.and([
          owned,
          eb.or([
            eb.and([status('reported'), eb('hazards.source', '=', 'self_check')]),
            status('rectifying'),
            eb.and([status('pending_acceptance'), eb('hazards.grade', '=', 'general'), eb('hazards.source', '=', 'self_check'), notMine]),
          ]),
        ]);
      case 'district_officer':
      case 'dept_officer':
        return eb.and([owned, eb.or([foundByOthers, eb.and([status('pending_acceptance'), notMine])])]);
      case 'street_officer':
        return eb.and([owned, eb.or([foundByOthers, eb.and([status('pending_acceptance'), eb('hazards.grade', '=', 'general'), notMine])])]);
      case 'city_officer':
      case 'city_admin':
        return eb.and([owned, status('pending_acceptance'), eb('hazards.supervision_level', '=', 'city'), notMine]);
      case 'inspector':
        return eb.and([owned, status('reported'), eb('hazards.reported_by', '=', me)]);
      case 'expert':
      case 'tip_custodian':
        return sql<SqlBool>`1 = 0`;
    }
  };
}

function filtered(db: Kysely<DB>, dialect: DialectName, actor: Actor, f: Omit<HazardQuery, 'page' | 'pageSize' | 'sort'>, now: Date, withStatus = true) {
  let q = scoped(db, actor, { districtCode: f.districtCode });
  if (f.todo) q = q.where(hazardTodoWhere(actor));
  if (f.districtCode) q = q.where('hazards.district_code', '=', f.districtCode);
  if (f.streetCode) q = q.where('hazards.street_code', '=', f.streetCode);
  if (f.enterpriseId) q = q.where('hazards.enterprise_id', '=', f.enterpriseId);
  if (f.industryCode) {
    const code = f.industryCode;
    q = /^[A-T]$/.test(code)
      ? q.where('hazards.industry_code', 'in', (eb) => eb.selectFrom('industries').select('code').where('parent_code', '=', code))
      : q.where('hazards.industry_code', '=', code);
  }
  if (f.grade) q = q.where('hazards.grade', '=', f.grade);
  if (withStatus && f.status) q = isOpenSet(f.status) ? q.where(OPEN_STATUS_SQL) : q.where('hazards.status', 'in', f.status);
  if (f.source) q = q.where('hazards.source', '=', f.source);
  if (f.supervisionLevel) q = q.where('hazards.supervision_level', '=', f.supervisionLevel);
  // Found dates are compared as Shanghai calendar days: [from 00:00, to 24:00) in UTC+8.
  if (f.foundFrom) q = q.where('hazards.found_at', '>=', startOfShanghaiDay(f.foundFrom));
  if (f.foundTo) q = q.where('hazards.found_at', '<', startOfShanghaiDay(f.foundTo) + 86_400_000);
  if (f.closedFrom) q = q.where('hazards.closed_at', '>=', startOfShanghaiDay(f.closedFrom));
  if (f.closedTo) q = q.where('hazards.closed_at', '<', startOfShanghaiDay(f.closedTo) + 86_400_000);
  if (f.departmentId) {
    const codes = db.selectFrom('department_industries').select('industry_code').where('department_id', '=', f.departmentId);
    q = q.where('hazards.industry_code', 'in', (eb) =>
      eb.selectFrom('industries').select('code').where('level', '=', 'division').where((w) => w.or([w('code', 'in', codes), w('parent_code', 'in', codes)])),
    );
  }
  if (f.onSpot) q = q.where('hazards.num', 'in', (eb) => eb.selectFrom('hazard_events').select('hazard_num').where(eventIs('fix_on_spot')));
  if (f.deadlineFrom) q = q.where('hazards.deadline', '>=', f.deadlineFrom);
  if (f.deadlineTo) q = q.where('hazards.deadline', '<=', f.deadlineTo);
  if (f.overdue !== undefined) {
    const today = shanghaiDate(now);
    q = f.overdue
      ? q.where(overdueWhere(today))
      : q.where((eb) => eb.or([eb('hazards.status', 'not in', [...OPEN_STATUSES]), eb('hazards.deadline', 'is', null), eb('hazards.deadline', '>=', today)]));
  }
  if (f.q) {
    const words = terms(f.q);
    // Single characters are too common to index; those (rare) queries scan the scoped rows.
    const district = f.districtCode ?? (actor.role === 'district_officer' ? actor.districtCode : null);
    if (words.some((w) => w.length >= 2)) q = q.where(tokensMatch(dialect, 'hazards', words, district ? [districtToken(district)] : []));
    else {
      const text = f.q;
      q = q.where((eb) => eb.or([containsText(dialect, 'hazards.code', text), containsText(dialect, 'hazards.description', text)]));
    }
  }
  return q;
}

function withNames(q: ReturnType<typeof scoped>) {
  return q
    .leftJoin('enterprises as e', 'e.id', 'hazards.enterprise_id')
    .leftJoin('regions as d', 'd.code', 'hazards.district_code')
    .leftJoin('regions as s', 's.code', 'hazards.street_code')
    .selectAll('hazards')
    .select(['e.name as enterprise_name', 'd.name as district_name', 's.name as street_name']);
}

/** Orders a query over `hazards` by the ledger's chosen sort (ties broken by `tieBreaker`, so pages never overlap). */
function ordered<QB extends SelectQueryBuilder<DB, 'hazards', object>>(q: QB, sort: HazardQuery['sort'], dialect: DialectName): QB {
  const by = (e: string | RawBuilder<unknown>, dir: 'asc' | 'desc' = 'asc') => (q = q.orderBy(e as never, dir) as QB);
  const tie = tieBreaker(dialect);
  switch (sort) {
    case 'foundAt':
      by('hazards.found_at'), by(tie);
      break;
    case 'deadline':
      by(sql`hazards.deadline is null`), by('hazards.deadline'), by(tie);
      break;
    case '-deadline':
      by(sql`hazards.deadline is null`), by('hazards.deadline', 'desc'), by(tie, 'desc');
      break;
    case '-createdAt':
      by('hazards.id', 'desc');
      break;
    case 'code':
      by('hazards.code');
      break;
    default:
      by('hazards.found_at', 'desc'), by(tie, 'desc');
  }
  return q;
}

/** The ids of one page of the ledger, in the chosen order (on the hazards table alone). */
export function ledgerPageQuery(db: Kysely<DB>, dialect: DialectName, actor: Actor, f: HazardQuery, now: Date) {
  return ordered(filtered(db, dialect, actor, f, now).select('hazards.id'), f.sort, dialect);
}

/**
 * One page of the ledger and the total, in one statement: the total is counted in one subquery,
 * the page's ids found in another on the hazards table alone (often straight from an index), and
 * only those rows are read in full with their names and clauses — a deferred join, so nothing is
 * paid for the rows an offset skips. The count's row is always there: an empty page still has its total.
 */
export async function listHazards(db: Kysely<DB>, dialect: DialectName, actor: Actor, f: HazardQuery, now: Date) {
  const compiled = LIST_STATEMENTS(db).get(statementKey(actor, f, now), () => listStatement(db, dialect, actor, f, now).compile());
  const rows = (await db.executeQuery(compiled)).rows;
  const total = Number((rows[0] as { total?: number } | undefined)?.total ?? 0);
  const listed: ListedHazard[] = [];
  // Each row as read, with its clause ids added (no copy: rows are presented right after).
  for (const r of rows as unknown as (ListedHazard & { id: string | null; clause_ids: string | null })[]) {
    if (r.id === null) continue;
    r.clauseIds = r.clause_ids ? r.clause_ids.split(',').sort() : [];
    listed.push(r);
  }
  return { rows: listed, total };
}

/** What a ledger page's statement depends on: the caller's scope (and person, for the to-do filter), the filters, and today (the overdue filter). */
const statementKey = (actor: Actor, f: HazardQuery, now: Date) => JSON.stringify([scopeKey(actor, !!f.todo), f, shanghaiDate(now)]);
const LIST_STATEMENTS = compiledPerDatabase();
const JSON_STATEMENTS = compiledPerDatabase();

/**
 * One page of the ledger with each hazard as the JSON the API answers (presenter.ts `presentHazard`:
 * the listed columns under their camelCase names, the plan as JSON, overdue, names, sorted clause
 * ids), written by the database where `writesRowJson` says it can (`ledger-page.ts` chooses). Same
 * statement shape, scope and order as `listHazards`.
 */
export async function listHazardsJson(db: Kysely<DB>, actor: Actor, f: HazardQuery, now: Date): Promise<{ items: string[]; total: number }> {
  const today = shanghaiDate(now);
  const compiled = JSON_STATEMENTS(db).get(statementKey(actor, f, now), () => {
    const json = rowJson([
      ...LISTED_COLUMNS.map((c): readonly [string, JsonPart] =>
        c === 'plan_json' ? ['plan', { jsonText: 'hazards.plan_json' }] : INSTANT_COLUMNS.has(c) ? [camel(c), { instant: `hazards.${c}` }] : [camel(c), { column: `hazards.${c}` }],
      ),
      ['overdue', { flag: overdueWhere(today) }],
      ['enterpriseName', { column: 'e.name' }],
      ['districtName', { column: 'd.name' }],
      ['streetName', { column: 's.name' }],
      ['clauseIds', { sortedValues: { column: 'hc.clause_id', from: 'hazard_clauses as hc', where: sql<SqlBool>`hc.hazard_id = hazards.id` } }],
    ]);
    return pageStatement(db, 'sqlite', actor, f, now, (q) => q.select('hazards.id').select(json.as('json'))).compile();
  });
  const rows = (await db.executeQuery(compiled)).rows as { total: number; id: string | null; json: string }[];
  return { items: rows.filter((r) => r.id !== null).map((r) => r.json), total: Number(rows[0]?.total ?? 0) };
}

function listStatement(db: Kysely<DB>, dialect: DialectName, actor: Actor, f: HazardQuery, now: Date) {
  return pageStatement(db, dialect, actor, f, now, (q) =>
    q
      .select(LISTED_COLUMNS.map((c) => `hazards.${c}` as const))
      .select(['e.name as enterprise_name', 'd.name as district_name', 's.name as street_name'])
      // The clauses cited (ids are UUIDs: no commas), in no order: sorted in listHazards.
      .select((eb) => eb.selectFrom('hazard_clauses as hc').select(joinedValues(dialect, 'hc.clause_id').as('ids')).whereRef('hc.hazard_id', '=', 'hazards.id').as('clause_ids')),
  );
}

/**
 * The ledger page's statement: the total (a count subquery), the page's ids (an ordered subquery on
 * hazards alone), and those rows joined to their enterprise and regions, with the columns `columns` picks.
 */
function pageStatement(db: Kysely<DB>, dialect: DialectName, actor: Actor, f: HazardQuery, now: Date, columns: (q: PageRows) => PageRows) {
  // One filter, built once, for both (query builders are immutable).
  const matching = filtered(db, dialect, actor, f, now);
  const count = matching.select((eb) => eb.fn.countAll<number>().as('n')).as('c');
  const page = ordered(matching.select('hazards.id'), f.sort, dialect)
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .as('p');
  const rows = db
    .selectFrom(count)
    .leftJoin(page, (j) => j.onTrue())
    .leftJoin('hazards', 'hazards.id', 'p.id')
    .leftJoin('enterprises as e', 'e.id', 'hazards.enterprise_id')
    .leftJoin('regions as d', 'd.code', 'hazards.district_code')
    .leftJoin('regions as s', 's.code', 'hazards.street_code')
    .select('c.n as total') as unknown as PageRows;
  return ordered(columns(rows) as unknown as SelectQueryBuilder<DB, 'hazards', object>, f.sort, dialect);
}
type PageRows = SelectQueryBuilder<DB & { e: DB['enterprises']; d: DB['regions']; s: DB['regions'] }, 'hazards' | 'e' | 'd' | 's', object>;

/** Counts per status under the same filters (the ledger's tabs ignore the status and to-do filters themselves), and the to-do count. */
export async function statusCounts(db: Kysely<DB>, dialect: DialectName, actor: Actor, f: HazardQuery, now: Date): Promise<Record<HazardStatus | 'todo', number>> {
  const all = { ...f, todo: undefined };
  const rows = await filtered(db, dialect, actor, all, now, false)
    .select(['hazards.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('hazards.status')
    .execute();
  const out = { reported: 0, rectifying: 0, pending_acceptance: 0, closed: 0, voided: 0, todo: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  const [{ n }] = await filtered(db, dialect, actor, { ...all, todo: true }, now, false)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .execute();
  out.todo = Number(n);
  return out;
}

export async function findHazard(db: Kysely<DB>, actor: Actor, id: string): Promise<HazardView | undefined> {
  return (await withNames(scoped(db, actor).where('hazards.id', '=', id)).executeTakeFirst()) as HazardView | undefined;
}

/** What the transition table needs to know of a hazard row. */
export function hazardFacts(row: HazardRow): HazardFacts {
  return {
    status: row.status,
    grade: row.grade,
    source: row.source as HazardFacts['source'],
    supervisionLevel: row.supervision_level,
    enterpriseId: row.enterprise_id,
    reportedBy: row.reported_by,
    submittedBy: row.submitted_by ?? null,
    firstAcceptedBy: row.first_accepted_by ?? null,
  };
}

export async function hazardScopeRow(db: Kysely<DB>, h: HazardRow): Promise<HazardScopeRow> {
  return scopeRowOf(h, await db.selectFrom('hazard_access').select(['grantee_type', 'grantee_id']).where('hazard_id', '=', h.id).execute());
}

/** The scope-relevant facts of a hazard row and the read access its transfers granted. */
export function scopeRowOf(h: HazardRow, grants: readonly { grantee_type: 'district' | 'department'; grantee_id: string }[]): HazardScopeRow {
  return {
    cityCode: h.city_code,
    districtCode: h.district_code,
    streetCode: h.street_code,
    industryCode: h.industry_code,
    enterpriseId: h.enterprise_id,
    departmentId: h.department_id,
    grants: grants.map((g) => ({ type: g.grantee_type, id: g.grantee_id })),
  };
}

export async function clausesFor(db: Kysely<DB>, hazardId: string) {
  return db
    .selectFrom('hazard_clauses')
    .innerJoin('standard_clauses as c', 'c.id', 'hazard_clauses.clause_id')
    .innerJoin('standards as s', 's.id', 'c.standard_id')
    .select(['c.id', 'c.standard_id', 's.title as standard_title', 'c.no', 'c.text'])
    .where('hazard_clauses.hazard_id', '=', hazardId)
    .orderBy('s.sort')
    .orderBy('c.sort')
    .execute();
}

export async function eventsFor(db: Kysely<DB>, hazard: { id: string; num: number }) {
  const hazardId = hazard.id;
  const events = await db.selectFrom('hazard_events').selectAll().where('hazard_num', '=', hazard.num).orderBy('seq').execute();
  const files = await db
    .selectFrom('hazard_event_files')
    .innerJoin('files', 'files.id', 'hazard_event_files.file_id')
    .select(['hazard_event_files.seq', 'files.id', 'files.mime', 'files.size', 'files.original_name'])
    .where('hazard_event_files.hazard_num', '=', hazard.num)
    .orderBy('files.id')
    .execute();
  return events.map((e, i) => ({
    // Events are keyed by (hazard number, seq) (migrations 30, 35); the API names one by the hazard's id and seq.
    id: `${hazardId}:${e.seq}`,
    seq: e.seq,
    action: e.action,
    fromStatus: shownFrom(e.from_status, i > 0 ? events[i - 1].to_status : null),
    toStatus: e.to_status,
    actorName: e.actor_name,
    at: isoInstant(e.at),
    comment: e.comment,
    data: e.data_json ? (JSON.parse(e.data_json) as Record<string, unknown>) : null,
    attachments: files.filter((f) => f.seq === e.seq).map((f) => ({ id: f.id, mime: f.mime, size: f.size, name: f.original_name })),
  }));
}

/** Next human code `YH-<district>-<year>-<6 digits>`; the counter row's lock serialises concurrent reports. */
export async function nextHazardCode(db: Kysely<DB>, districtCode: string, year: number): Promise<string> {
  await db.insertInto('hazard_code_counters').values({ district_code: districtCode, year, seq: 0 }).onConflict((oc) => oc.columns(['district_code', 'year']).doNothing()).execute();
  const { seq } = await db
    .updateTable('hazard_code_counters')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('district_code', '=', districtCode)
    .where('year', '=', year)
    .returning('seq')
    .executeTakeFirstOrThrow();
  return `YH-${districtCode}-${year}-${String(seq).padStart(6, '0')}`;
}

/** Open hazards by district and grade, within scope. */
export async function openByDistrictAndGrade(db: Kysely<DB>, actor: Actor) {
  const rows = await scoped(db, actor)
    .where('hazards.status', 'in', [...OPEN_STATUSES])
    .select(['hazards.district_code', 'hazards.grade', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['hazards.district_code', 'hazards.grade'])
    .orderBy('hazards.district_code')
    .orderBy('hazards.grade')
    .execute();
  return rows.map((r) => ({ districtCode: r.district_code, grade: r.grade, count: Number(r.n) }));
}

/**
 * Hazards found and closed per Shanghai month, for the last `months` months up to `now`, within
 * scope. One index range count per month and measure (no per-row date arithmetic).
 */
export async function monthlyFoundClosed(db: Kysely<DB>, actor: Actor, now: Date, months: number) {
  const today = shanghaiDate(now);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7)) - 1;
  const bounds = Array.from({ length: months + 1 }, (_, i) => Date.UTC(y, m - (months - 1) + i, 1) - 8 * 3_600_000);
  const count = (column: 'hazards.found_at' | 'hazards.closed_at', i: number) =>
    scoped(db, actor)
      .where(column, '>=', bounds[i])
      .where(column, '<', bounds[i + 1])
      .select([sql<string>`${`${column === 'hazards.found_at' ? 'f' : 'c'}${i}`}`.as('k'), (eb) => eb.fn.countAll<number>().as('n')]);
  let q = count('hazards.found_at', 0);
  for (let i = 0; i < months; i++) {
    if (i > 0) q = q.unionAll(count('hazards.found_at', i));
    q = q.unionAll(count('hazards.closed_at', i));
  }
  const counts = new Map((await q.execute()).map((r) => [r.k, Number(r.n)]));
  return Array.from({ length: months }, (_, i) => ({
    month: new Date(Date.UTC(y, m - (months - 1) + i, 1)).toISOString().slice(0, 7),
    found: counts.get(`f${i}`) ?? 0,
    closed: counts.get(`c${i}`) ?? 0,
  }));
}

/** Re-derives the search tokens of an enterprise's hazards after the enterprise is renamed. */
export async function refreshHazardSearch(db: Kysely<DB>, dialect: DialectName, enterpriseId: string, enterpriseName: string): Promise<void> {
  const rows = await db.selectFrom('hazards').select(['id', 'code', 'description', 'location', 'district_code', 'city_code']).where('enterprise_id', '=', enterpriseId).execute();
  if (rows.length) await bumpLedgerVersion(db, rows[0].city_code);
  await updateMany(db, dialect, 'hazards', 'id', rows.map((r) => ({ id: r.id, search_tokens: hazardSearchColumn(dialect, { ...r, enterpriseName }) })));
}


type SortKey = { expr: RawBuilder<string | number>; dir: 'asc' | 'desc'; of: (r: HazardRow) => string | number };
const SORT_KEYS: Record<HazardQuery['sort'], SortKey> = {
  '-foundAt': { expr: sql<number>`hazards.found_at`, dir: 'desc', of: (r) => r.found_at },
  foundAt: { expr: sql<number>`hazards.found_at`, dir: 'asc', of: (r) => r.found_at },
  deadline: { expr: sql<string>`coalesce(hazards.deadline, '9999-12-31')`, dir: 'asc', of: (r) => r.deadline ?? '9999-12-31' },
  '-deadline': { expr: sql<string>`coalesce(hazards.deadline, '0000-01-01')`, dir: 'desc', of: (r) => r.deadline ?? '0000-01-01' },
  '-createdAt': { expr: sql<string>`hazards.id`, dir: 'desc', of: (r) => r.id },
  code: { expr: sql<string>`hazards.code`, dir: 'asc', of: (r) => r.code },
};

/**
 * Walks every hazard the filters select, in the requested order, a batch at a time (keyset
 * pagination on the sort key and the tie-breaker, so a million rows cost no more per batch than the first).
 */
export async function walkHazards(
  db: Kysely<DB>,
  dialect: DialectName,
  actor: Actor,
  f: HazardQuery,
  now: Date,
  batch: number,
  onBatch: (rows: HazardView[]) => Promise<void>,
): Promise<number> {
  const key = SORT_KEYS[f.sort];
  const cmp = key.dir === 'desc' ? sql`<` : sql`>`;
  const tie = tieBreaker(dialect);
  let after: { k: string | number; tie: string | number } | null = null;
  let total = 0;
  for (;;) {
    let q = filtered(db, dialect, actor, f, now);
    if (after) {
      const a: { k: string | number; tie: string | number } = after;
      q = q.where(sql<SqlBool>`(${key.expr}, ${tie}) ${cmp} (${a.k}, ${a.tie})`);
    }
    const page = await q.select(['hazards.id', tie.as('tie')]).orderBy(key.expr, key.dir).orderBy(tie, key.dir).limit(batch).execute();
    const ids = page.map((r) => r.id);
    if (!ids.length) return total;
    const found = (await withNames(db.selectFrom('hazards').where('hazards.id', 'in', ids)).execute()) as HazardView[];
    const byId = new Map(found.map((r) => [r.id, r]));
    const rows = ids.map((id) => byId.get(id)!);
    await onBatch(rows);
    total += rows.length;
    // Let requests waiting for the database go first: a long export must not starve the server.
    await new Promise((resolve) => setImmediate(resolve));
    after = { k: key.of(rows[rows.length - 1]), tie: page[page.length - 1].tie };
  }
}

/** For export: the dates of each hazard's steps, and the clauses it cites, for a batch of hazards. */
export async function stepDatesAndClauses(db: Kysely<DB>, ids: string[]) {
  const events = await db
    .selectFrom('hazard_events')
    .innerJoin('hazards', 'hazards.num', 'hazard_events.hazard_num')
    .select(['hazards.id as hazard_id', 'hazard_events.action', 'hazard_events.at'])
    .where('hazards.id', 'in', ids)
    .orderBy('hazard_events.hazard_num')
    .orderBy('hazard_events.seq')
    .execute();
  const steps = new Map<string, { assignedAt?: string; submittedAt?: string; rejections: number }>();
  for (const e of events) {
    const s = steps.get(e.hazard_id) ?? { rejections: 0 };
    if (e.action === 'assign' && !s.assignedAt) s.assignedAt = isoInstant(e.at);
    if (e.action === 'submit') s.submittedAt = isoInstant(e.at);
    if (e.action === 'reject') s.rejections++;
    steps.set(e.hazard_id, s);
  }
  const clauses = await db
    .selectFrom('hazard_clauses as hc')
    .innerJoin('standard_clauses as c', 'c.id', 'hc.clause_id')
    .innerJoin('standards as s', 's.id', 'c.standard_id')
    .select(['hc.hazard_id', 's.title', 'c.no'])
    .where('hc.hazard_id', 'in', ids)
    .orderBy('s.sort')
    .orderBy('c.sort')
    .execute();
  const cited = new Map<string, string[]>();
  for (const c of clauses) cited.set(c.hazard_id, [...(cited.get(c.hazard_id) ?? []), `《${c.title}》${c.no}`]);
  return { steps, cited };
}
