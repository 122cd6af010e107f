/**
 * 考核运行: the office runs a year's scheme for a period over every district. What a run reads is
 * stored with it — the scheme version, each computed value with the list behind it, the accidents
 * the vetoes look at, the values the office enters — and the scores are derived from those alone,
 * so a run never moves when the data does: a re-run is the next number for the period, with the
 * difference from the one before. Published, it is what the districts see and the 季度点评 prints.
 */
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { EntryInput, RunInput, RunQuery, Run, UnitResult, VetoRule } from '../../../shared/contracts/assessment';
import { ACCIDENT_GRADE_LABELS, ACCIDENT_GRADES, type AccidentGrade } from '../../../shared/contracts/accidents';
import type { ListResult } from '../../../shared/contracts/common';
import { audit, transact, type ActorCtx } from '../../context';
import type { AssessmentRunRow, DB } from '../../db/schema';
import type { Kysely } from 'kysely';
import { AppError, fieldError, forbidden, notFound } from '../../errors/app-error';
import { classifyDbError } from '../../db/dialect';
import { checkAttachments } from '../files/commands';
import { appendRecordEvent } from '../../records/records';
import { assessesDistricts, readsPublishedRuns } from '../../scope/scope';
import { listRegions } from '../regions/repository';
import { periodSpan, readIndicators, type Reading } from './indicators';
import { schemeOf } from './schemes';
import { applyVetoes, gradeOf, points, type VetoHit } from './scoring';
import type { Scheme } from '../../../shared/contracts/assessment';

const ENTITY = 'assessment_run';
type SchemeBody = Pick<Scheme, 'title' | 'indicators' | 'grades' | 'vetoes'>;
interface Entry {
  value: number;
  note: string;
  fileIds: string[];
  by: string;
  at: string;
}
/** What a run read, stored with it: the scores are derived from this alone. */
interface Raw {
  units: { code: string; name: string }[];
  readings: Record<string, Record<string, Reading>>;
  entries: Record<string, Record<string, Entry>>;
  hits: Record<string, VetoHit[]>;
  /** The scores as computed when the run was made or an entry changed them: what the run answers, whatever later code would compute. */
  scored?: UnitResult[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function vetoHits(rules: readonly VetoRule[], accidents: { code: string; grade: string; concealment: string }[], overdue: number | null): VetoHit[] {
  const out: VetoHit[] = [];
  for (const v of rules) {
    if (v.kind === 'accident_at_least') {
      const min = ACCIDENT_GRADES.indexOf(v.grade);
      const hit = accidents.filter((a) => ACCIDENT_GRADES.indexOf(a.grade as AccidentGrade) >= min);
      if (hit.length) out.push({ rule: v.kind, cap: v.cap, reason: `本期发生${ACCIDENT_GRADE_LABELS[v.grade].zh.replace('事故', '')}及以上事故 ${hit.length} 起（${hit.map((a) => `${a.code} ${ACCIDENT_GRADE_LABELS[a.grade as AccidentGrade].zh}`).join('，')}）` });
    }
    if (v.kind === 'concealed_accident') {
      const hit = accidents.filter((a) => a.concealment !== 'none');
      if (hit.length) out.push({ rule: v.kind, cap: v.cap, reason: `本期事故中有瞒报或谎报 ${hit.length} 起（${hit.map((a) => `${a.code} ${a.concealment === 'concealed' ? '瞒报' : '谎报'}`).join('，')}）` });
    }
    if (v.kind === 'overdue_major_above' && overdue !== null && overdue > v.count) out.push({ rule: v.kind, cap: v.cap, reason: `期末逾期重大事故隐患 ${overdue} 项，超过 ${v.count} 项` });
  }
  return out;
}

/** The scores, grades, vetoes and ranks, from what the run stored. */
export function scoreRun(scheme: SchemeBody, raw: Raw): UnitResult[] {
  const units = raw.units.map((u) => {
    const indicators = scheme.indicators.map((i) => {
      const reading: Reading | undefined = i.source.kind === 'computed' ? raw.readings[i.source.indicator]?.[u.code] : undefined;
      const entry = i.source.kind === 'entered' ? raw.entries[u.code]?.[i.key] : undefined;
      const value = reading ? reading.value : entry ? entry.value : null;
      const p = points(i.rule, i.weight, value);
      return {
        key: i.key,
        name: i.name,
        kind: i.source.kind,
        indicator: i.source.kind === 'computed' ? i.source.indicator : null,
        weight: i.weight,
        value,
        numerator: reading?.numerator ?? null,
        denominator: reading?.denominator ?? null,
        points: p ?? (i.ifNoData === 'full' ? i.weight : 0),
        noData: p === null,
        link: reading?.link ?? null,
        asAt: null as string | null,
        note: entry?.note ?? null,
        fileIds: entry?.fileIds ?? [],
      };
    });
    const score = round2(indicators.reduce((n, i) => n + i.points, 0));
    const scoreGrade = gradeOf(score, scheme.grades);
    // Every veto whose condition held is shown with its reason, whether or not the score's grade was above its cap.
    const hits = raw.hits[u.code] ?? [];
    return { code: u.code, name: u.name, score, scoreGrade, grade: applyVetoes(scoreGrade, hits, scheme.grades).grade, rank: 0, vetoes: hits, indicators };
  });
  const sorted = [...units].sort((a, b) => b.score - a.score);
  for (const u of units) u.rank = 1 + sorted.filter((x) => x.score > u.score).length;
  return units.sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : 1));
}

async function findRun(ctx: ActorCtx, id: string): Promise<AssessmentRunRow> {
  const r = await ctx.db.selectFrom('assessment_runs').selectAll().where('id', '=', id).where('city_code', '=', ctx.actor.cityCode).executeTakeFirst();
  if (!r || !(assessesDistricts(ctx.actor) || (readsPublishedRuns(ctx.actor) && r.published_at))) throw notFound('考核结果', 'assessment run');
  return r;
}

const latestNumber = async (db: Kysely<DB>, city: string, period: string) => Number((await db.selectFrom('assessment_runs').select((eb) => eb.fn.max('number').as('n')).where('city_code', '=', city).where('period', '=', period).executeTakeFirst())?.n ?? 0);

function summary(r: AssessmentRunRow) {
  return {
    id: r.id,
    schemeYear: Number(r.scheme_year),
    schemeVersion: Number(r.scheme_version),
    period: r.period,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    number: Number(r.number),
    status: r.status,
    computedAt: r.computed_at,
    asAt: r.as_at,
    publishedAt: r.published_at,
    createdByName: r.created_by_name,
    version: Number(r.version),
  };
}

export function unitsOf(r: AssessmentRunRow): UnitResult[] {
  const raw = JSON.parse(r.result_json) as Raw;
  return (raw.scored ?? scoreRun(JSON.parse(r.scheme_json) as SchemeBody, raw)).map((u) => ({ ...u, indicators: u.indicators.map((i) => ({ ...i, asAt: i.kind === 'computed' ? r.as_at : null })) }));
}

/** Stores the scores with what they came from. */
const withScores = (scheme: SchemeBody, raw: Raw): string => JSON.stringify({ ...raw, scored: scoreRun(scheme, { ...raw, scored: undefined }) });

/** A unique key taken by a concurrent request is a conflict to retry, not a server error. */
async function orConflict<T>(p: Promise<T>, message: string): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (classifyDbError(err)?.kind === 'unique') throw new AppError('VERSION_CONFLICT', message, 'Someone else just did the same; reload and try again');
    throw err;
  }
}

export async function presentRun(ctx: ActorCtx, r: AssessmentRunRow): Promise<Run> {
  const scheme = JSON.parse(r.scheme_json) as SchemeBody;
  const units = unitsOf(r);
  let diff: Run['diff'] = null;
  if (r.previous_run_id) {
    const prev = await ctx.db.selectFrom('assessment_runs').selectAll().where('id', '=', r.previous_run_id).executeTakeFirst();
    if (prev && (assessesDistricts(ctx.actor) || prev.published_at)) {
      const before = new Map(unitsOf(prev).map((u) => [u.code, u]));
      diff = {
        againstRunId: prev.id,
        againstNumber: Number(prev.number),
        units: units.flatMap((u) => {
          const b = before.get(u.code);
          if (!b) return [];
          const values = new Map(b.indicators.map((i) => [i.key, i.value]));
          return [{ code: u.code, name: u.name, scoreBefore: b.score, score: u.score, gradeBefore: b.grade, grade: u.grade, rankBefore: b.rank, rank: u.rank, changed: u.indicators.filter((i) => values.get(i.key) !== i.value).map((i) => i.key) }];
        }),
      };
    }
  }
  const office = assessesDistricts(ctx.actor);
  const latest = Number(r.number) === (await latestNumber(ctx.db, r.city_code, r.period));
  const allowed: Run['allowed'] = [];
  if (office && r.status === 'draft' && scheme.indicators.some((i) => i.source.kind === 'entered')) allowed.push('enter');
  if (office && r.status === 'draft') allowed.push('publish');
  if (office && latest) allowed.push('rerun');
  return { ...summary(r), schemeTitle: scheme.title, grades: scheme.grades, units, diff, allowed };
}

export async function getRun(ctx: ActorCtx, id: string) {
  return presentRun(ctx, await findRun(ctx, id));
}

export async function listRuns(ctx: ActorCtx, q: z.output<typeof RunQuery>): Promise<ListResult<ReturnType<typeof summary>>> {
  if (!assessesDistricts(ctx.actor) && !readsPublishedRuns(ctx.actor)) throw forbidden('考核结果由市安委办发布', 'Only the offices read assessments');
  let b = ctx.db.selectFrom('assessment_runs').where('city_code', '=', ctx.actor.cityCode);
  if (!assessesDistricts(ctx.actor)) b = b.where('published_at', 'is not', null);
  if (q.period) b = b.where('period', '=', q.period);
  if (q.status) b = b.where('status', '=', q.status);
  const [{ n }] = await b.select((eb) => eb.fn.countAll<number>().as('n')).execute();
  const rows = await b.selectAll().orderBy('period_to', 'desc').orderBy('number', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  return { items: rows.map(summary), total: Number(n), page: q.page, pageSize: q.pageSize };
}

/** Reads the scheme's indicators for every district and stores the run as the period's next number; entered values carry over from the run before. */
export async function createRun(ctx: ActorCtx, body: z.output<typeof RunInput>): Promise<Run> {
  if (!assessesDistricts(ctx.actor)) throw forbidden('考核由市安委办组织', 'Only the city office runs the assessment');
  const span = periodSpan(body.period);
  if (span.year !== body.schemeYear) throw fieldError('VALIDATION_FAILED', 'period', `考核期应在 ${body.schemeYear} 年内`, 'The period must fall in the scheme’s year');
  const now = ctx.now();
  if (span.from > new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)) throw fieldError('VALIDATION_FAILED', 'period', '考核期尚未开始', 'The period has not begun');
  const scheme = await schemeOf(ctx, body.schemeYear);
  const districts = await listRegions(ctx.db, { level: 'district', parent: ctx.actor.cityCode });
  const keys = scheme.indicators.flatMap((i) => (i.source.kind === 'computed' ? [i.source.indicator] : []));
  if (scheme.vetoes.some((v) => v.kind === 'overdue_major_above')) keys.push('hazards.overdue_major');
  const read = await readIndicators(ctx.db, ctx.actor.cityCode, districts.map((d) => d.code), span, now, keys);
  const readings: Raw['readings'] = {};
  for (const [key, m] of read.readings) readings[key] = Object.fromEntries(m);
  const id = await orConflict(transact(ctx, async (tx) => {
    const number = (await latestNumber(tx.db, tx.actor.cityCode, body.period)) + 1;
    const prev = number > 1 ? await tx.db.selectFrom('assessment_runs').selectAll().where('city_code', '=', tx.actor.cityCode).where('period', '=', body.period).where('number', '=', number - 1).executeTakeFirst() : undefined;
    const entries: Raw['entries'] = prev ? (JSON.parse(prev.result_json) as Raw).entries : {};
    const hits: Raw['hits'] = {};
    for (const d of districts) hits[d.code] = vetoHits(scheme.vetoes, read.accidents.get(d.code) ?? [], readings['hazards.overdue_major']?.[d.code]?.value ?? null);
    const raw: Raw = { units: districts.map((d) => ({ code: d.code, name: d.name })), readings, entries, hits };
    const id = uuidv7();
    const at = tx.now().toISOString();
    // An earlier draft of the period is superseded by the new run; a published one stands until this one is published.
    await tx.db.updateTable('assessment_runs').set({ status: 'superseded' }).where('city_code', '=', tx.actor.cityCode).where('period', '=', body.period).where('status', '=', 'draft').execute();
    const { version: _v, example: _e, year: _y, updatedAt: _u, updatedBy: _b, ...schemeBody } = scheme;
    await tx.db
      .insertInto('assessment_runs')
      .values({ id, city_code: tx.actor.cityCode, scheme_year: body.schemeYear, scheme_version: scheme.version, scheme_json: JSON.stringify(schemeBody), period: body.period, period_from: span.from, period_to: span.to, number, status: 'draft', computed_at: at, as_at: read.asAt, result_json: withScores(schemeBody, raw), previous_run_id: prev?.id ?? null, created_by: tx.actor.userId, created_by_name: tx.actor.displayName, published_at: null, published_by: null, version: 1 })
      .execute();
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'computed', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data: { period: body.period, number, schemeVersion: scheme.version, asAt: read.asAt } });
    await audit(tx, { action: 'assessment.run_computed', entityType: ENTITY, entityId: id, after: { period: body.period, number, schemeYear: body.schemeYear, schemeVersion: scheme.version, scores: Object.fromEntries(scoreRun(schemeBody, raw).map((u) => [u.code, u.score])) } });
    // Entries carried over from the run before keep their evidence readable where this run is read.
    const carried = Object.values(entries).flatMap((e) => Object.values(e).flatMap((x) => x.fileIds));
    if (carried.length) await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: 'entries_carried', actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data: { from: prev!.id, files: carried.length }, fileIds: [...new Set(carried)] });
    return id;
  }), '该考核期刚刚已由他人重新计算，请刷新后查看');
  return getRun(ctx, id);
}

async function draftStep(ctx: ActorCtx, id: string, version: number, fn: (tx: ActorCtx, r: AssessmentRunRow, at: string) => Promise<{ set: Partial<AssessmentRunRow>; event: string; data: Record<string, unknown>; fileIds?: string[] }>): Promise<Run> {
  if (!assessesDistricts(ctx.actor)) throw forbidden('考核由市安委办组织', 'Only the city office changes a run');
  await transact(ctx, async (tx) => {
    const r = await findRun(tx, id);
    if (r.status !== 'draft') throw new AppError('INVALID_TRANSITION', r.status === 'published' ? '已发布的考核结果不能更改；如需更正，请重新计算生成新版本' : '该次考核已被新版本取代', 'Only a draft run changes');
    if (Number(r.version) !== version) throw new AppError('VERSION_CONFLICT', '该次考核已被更新，请刷新后重试', 'The run changed; reload');
    const at = tx.now().toISOString();
    const { set, event, data, fileIds } = await fn(tx, r, at);
    const n = await tx.db.updateTable('assessment_runs').set({ ...set, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(n.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', '该次考核已被更新，请刷新后重试', 'The run changed; reload');
    await appendRecordEvent(tx.db, { entityType: ENTITY, entityId: id, action: event, actorId: tx.actor.userId, actorName: tx.actor.displayName, at, data, fileIds });
    await audit(tx, { action: `assessment.run_${event}`, entityType: ENTITY, entityId: id, after: data });
  });
  return getRun(ctx, id);
}

/** A value the office enters for an entered indicator, with its note and evidence. */
export function enterValue(ctx: ActorCtx, id: string, body: z.output<typeof EntryInput>): Promise<Run> {
  return draftStep(ctx, id, body.version, async (tx, r, at) => {
    const scheme = JSON.parse(r.scheme_json) as SchemeBody;
    const ind = scheme.indicators.find((i) => i.key === body.key);
    if (!ind || ind.source.kind !== 'entered') throw fieldError('VALIDATION_FAILED', 'key', `“${body.key}”不是本方案中由考核办录入的指标`, 'Not an entered indicator of this scheme');
    const raw = JSON.parse(r.result_json) as Raw;
    if (!raw.units.some((u) => u.code === body.unitCode)) throw fieldError('VALIDATION_FAILED', 'unitCode', '该区不在本次考核范围内', 'Not a unit of this run');
    const files = await checkAttachments(tx.db, tx.actor, body.fileIds, { required: false });
    const before = raw.entries[body.unitCode]?.[body.key]?.value ?? null;
    raw.entries[body.unitCode] = { ...raw.entries[body.unitCode], [body.key]: { value: body.value, note: body.note, fileIds: files, by: tx.actor.displayName, at } };
    return { set: { result_json: withScores(JSON.parse(r.scheme_json) as SchemeBody, raw) }, event: 'entered', data: { unitCode: body.unitCode, key: body.key, before, value: body.value, files: files.length }, fileIds: files };
  });
}

/** Publishing freezes the run as what the districts see; the period's earlier published run is superseded. */
export function publishRun(ctx: ActorCtx, id: string, version: number): Promise<Run> {
  return draftStep(ctx, id, version, async (tx, r, at) => {
    await tx.db.updateTable('assessment_runs').set({ status: 'superseded' }).where('city_code', '=', r.city_code).where('period', '=', r.period).where('status', '=', 'published').execute();
    const units = unitsOf(r);
    return { set: { status: 'published', published_at: at, published_by: tx.actor.userId }, event: 'published', data: { period: r.period, number: Number(r.number), grades: Object.fromEntries(units.map((u) => [u.code, u.grade])) } };
  });
}

/** The published run of a period (the latest published), if any. */
export async function publishedRun(ctx: ActorCtx, period: string): Promise<AssessmentRunRow | undefined> {
  return ctx.db.selectFrom('assessment_runs').selectAll().where('city_code', '=', ctx.actor.cityCode).where('period', '=', period).where('published_at', 'is not', null).orderBy('number', 'desc').limit(1).executeTakeFirst();
}
