/**
 * 培训课程与签到 (#20): a course (mode, dates, hours, the industries and trainee roles it targets, the
 * focus year it serves) and its attendance — an enterprise's principal, safety manager, fire-safety
 * person or worker, or an official attending alongside. Offices record for the enterprises in their
 * scope (and officials); an enterprise for its own people. Each person once per course and role.
 */
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { ListResult } from '../../../shared/contracts/common';
import type { AttendanceInput, Course, CourseDetail, CourseInput, CourseQuery } from '../../../shared/contracts/training';
import { audit, transact, type ActorCtx } from '../../context';
import type { CoursesTable, DB } from '../../db/schema';
import { fieldError, forbidden, notFound } from '../../errors/app-error';
import { recordsTraining, rowInScope, scopeWhere, startsRiskRounds, trainingReaders } from '../../scope/scope';
import { checkPlacement } from '../enterprises/commands';

type CourseT = z.infer<typeof Course>;
const ATT = { city: 'a.city_code', district: 'a.district_code', street: 'a.street_code', industry: 'a.industry_code', enterpriseId: 'a.enterprise_id' };

/** Attendance rows this reader may see: an official's row (no enterprise) only by the offices of its district or the city. */
function seenAttendance(ctx: ActorCtx) {
  const enterpriseRows = scopeWhere<DB, 'course_attendance'>(ctx.actor, ATT);
  return (eb: Parameters<typeof enterpriseRows>[0]) =>
    ['enterprise', 'expert', 'tip_custodian'].includes(ctx.actor.role)
      ? eb.and([eb('a.enterprise_id' as never, 'is not', null), enterpriseRows(eb)])
      : eb.or([eb.and([eb('a.enterprise_id' as never, 'is not', null), enterpriseRows(eb)]), eb.and([eb('a.enterprise_id' as never, 'is', null), ctx.actor.districtCode ? eb('a.district_code' as never, '=', ctx.actor.districtCode as never) : sql<boolean>`a.city_code = ${ctx.actor.cityCode}`])]);
}

const present = (r: CoursesTable, attendees: number): CourseT => ({
  id: r.id,
  title: r.title,
  organiser: r.organiser,
  mode: r.mode,
  districtCode: r.district_code,
  from: r.starts_on,
  to: r.ends_on,
  hours: Number(r.hours),
  focusYear: r.focus_year === null ? null : Number(r.focus_year),
  industries: JSON.parse(r.industries_json) as string[],
  audience: JSON.parse(r.audience_json) as CourseT['audience'],
  attendees,
  createdAt: r.created_at,
});

async function attendeeCounts(ctx: ActorCtx, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await ctx.db.selectFrom('course_attendance as a').select(['a.course_id', sql<number>`count(*)`.as('n')]).where('a.course_id', 'in', ids).where(seenAttendance(ctx) as never).groupBy('a.course_id').execute();
  return new Map(rows.map((r) => [r.course_id, Number(r.n)]));
}

function mayRead(ctx: ActorCtx) {
  if (!trainingReaders(ctx.actor)) throw forbidden('专家和举报人信息保管员不查看培训记录', 'Not for your role');
}

export async function listCourses(ctx: ActorCtx, q: z.output<typeof CourseQuery>): Promise<ListResult<CourseT>> {
  mayRead(ctx);
  let b = ctx.db.selectFrom('courses').where('city_code', '=', ctx.actor.cityCode);
  if (q.year) b = b.where('starts_on', '>=', `${q.year}-01-01`).where('starts_on', '<=', `${q.year}-12-31`);
  if (q.mode) b = b.where('mode', '=', q.mode);
  if (q.districtCode) b = b.where('district_code', '=', q.districtCode);
  const [{ n }] = await b.select(sql<number>`count(*)`.as('n')).execute();
  const rows = await b.selectAll().orderBy('starts_on', 'desc').orderBy('id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute();
  const counts = await attendeeCounts(ctx, rows.map((r) => r.id));
  return { items: rows.map((r) => present(r, counts.get(r.id) ?? 0)), total: Number(n), page: q.page, pageSize: q.pageSize };
}

export async function courseDetail(ctx: ActorCtx, id: string): Promise<z.infer<typeof CourseDetail>> {
  mayRead(ctx);
  const r = await ctx.db.selectFrom('courses').selectAll().where('id', '=', id).where('city_code', '=', ctx.actor.cityCode).executeTakeFirst();
  if (!r) throw notFound('培训课程', 'course');
  const rows = await ctx.db
    .selectFrom('course_attendance as a')
    .leftJoin('enterprises as e', 'e.id', 'a.enterprise_id')
    .select(['a.id', 'a.enterprise_id', 'e.name as enterprise_name', 'a.district_code', 'a.person_name', 'a.role', 'a.office_name', 'a.hours', 'a.passed'])
    .where('a.course_id', '=', id)
    .where(seenAttendance(ctx) as never)
    .orderBy('a.district_code')
    .orderBy('e.name')
    .orderBy('a.person_name')
    .execute();
  return {
    ...present(r, rows.length),
    attendance: rows.map((a) => ({ id: a.id, enterpriseId: a.enterprise_id, enterpriseName: a.enterprise_name, districtCode: a.district_code, personName: a.person_name, role: a.role, officeName: a.office_name, hours: Number(a.hours), passed: !!Number(a.passed) })),
  };
}

/** 开设课程: the city's office and departments any classroom; a district's office its own branch classroom. */
export async function createCourse(ctx: ActorCtx, body: z.output<typeof CourseInput>) {
  const a = ctx.actor;
  if (body.to < body.from) throw fieldError('VALIDATION_FAILED', 'to', '结束日期不能早于开始日期', 'The end is before the start');
  if (body.mode === 'district_branch' && !body.districtCode) throw fieldError('VALIDATION_FAILED', 'districtCode', '区级分课堂须选择所在区', 'A district branch classroom names its district');
  if (body.districtCode) await checkPlacement(ctx.db, a.cityCode, { districtCode: body.districtCode, streetCode: null, industryCode: null });
  const cityOffice = startsRiskRounds(a) || (a.role === 'dept_officer' && !a.districtCode);
  const districtOffice = a.role === 'district_officer' && body.mode === 'district_branch' && body.districtCode === a.districtCode;
  if (!cityOffice && !districtOffice) throw forbidden('课程由市安委办、市级部门开设；区安委办开设本区分课堂', 'Courses are set up by the city office and departments; a district office its own branch classroom');
  const known = new Set((await ctx.db.selectFrom('industries').select('code').where('level', '=', 'division').execute()).map((i) => i.code));
  const k = body.industries.findIndex((c) => !known.has(c));
  if (k >= 0) throw fieldError('UNKNOWN_INDUSTRY', `industries.${k}`, `未知的行业大类代码：${body.industries[k]}`, 'Unknown division');
  const id = uuidv7();
  await transact(ctx, async (tx) => {
    const at = tx.now().toISOString();
    await tx.db
      .insertInto('courses')
      .values({ id, city_code: a.cityCode, district_code: body.districtCode ?? null, title: body.title, organiser: body.organiser, mode: body.mode, starts_on: body.from, ends_on: body.to, hours: body.hours, focus_year: body.focusYear ?? null, industries_json: JSON.stringify([...new Set(body.industries)]), audience_json: JSON.stringify([...new Set(body.audience)]), created_by: a.userId || null, created_at: at })
      .execute();
    await audit(tx, { action: 'course.created', entityType: 'course', entityId: id, districtCode: body.districtCode ?? undefined, after: { title: body.title, mode: body.mode, from: body.from, to: body.to, hours: body.hours, focusYear: body.focusYear ?? null } });
  });
  return courseDetail(ctx, id);
}

/** 签到: every entry checked first (each error names its entry); a person already recorded for the course and role is counted, not doubled. */
export async function recordAttendance(ctx: ActorCtx, courseId: string, body: z.output<typeof AttendanceInput>) {
  const a = ctx.actor;
  if (!recordsTraining(a)) throw forbidden('培训签到由组织培训的市、区、街镇和行业监管人员录入', 'Attendance is recorded by the offices');
  const course = await ctx.db.selectFrom('courses').selectAll().where('id', '=', courseId).where('city_code', '=', a.cityCode).executeTakeFirst();
  if (!course) throw notFound('培训课程', 'course');
  const ids = [...new Set(body.entries.map((e) => e.enterpriseId).filter((x): x is string => !!x))];
  const ents = new Map(
    (ids.length ? await ctx.db.selectFrom('enterprises').select(['id', 'city_code', 'district_code', 'street_code', 'industry_code']).where('id', 'in', ids).execute() : [])
      .filter((e) => rowInScope(a, { cityCode: e.city_code, districtCode: e.district_code, streetCode: e.street_code, industryCode: e.industry_code, enterpriseId: e.id }))
      .map((e) => [e.id, e]),
  );
  const rows = body.entries.map((e, i) => {
    if (e.hours !== undefined && e.hours > Number(course.hours)) throw fieldError('VALIDATION_FAILED', `entries.${i}.hours`, `第 ${i + 1} 名：学时不能超过课程学时（${Number(course.hours)}）`, 'More hours than the course has');
    if (e.role === 'official') {
      if (e.enterpriseId) throw fieldError('VALIDATION_FAILED', `entries.${i}.enterpriseId`, `第 ${i + 1} 名：跟班监管人员不填写企业`, 'An official has no enterprise');
      return { e, ent: null };
    }
    if (!e.enterpriseId) throw fieldError('VALIDATION_FAILED', `entries.${i}.enterpriseId`, `第 ${i + 1} 名：请选择学员所在企业`, 'Choose the trainee’s enterprise');
    const ent = ents.get(e.enterpriseId);
    if (!ent) throw fieldError('UNKNOWN_ENTERPRISE', `entries.${i}.enterpriseId`, `第 ${i + 1} 名：企业不存在或不在您的管辖范围内`, 'Unknown enterprise, or outside your scope');
    return { e, ent };
  });
  let added = 0;
  await transact(ctx, async (tx) => {
    const at = tx.now().toISOString();
    for (const { e, ent } of rows) {
      const r = await tx.db
        .insertInto('course_attendance')
        .values({ id: uuidv7(), course_id: courseId, city_code: a.cityCode, district_code: ent?.district_code ?? a.districtCode, street_code: ent?.street_code ?? null, industry_code: ent?.industry_code ?? null, enterprise_id: ent?.id ?? null, enterprise_key: ent?.id ?? '', person_name: e.personName, role: e.role, office_name: e.officeName ?? null, hours: e.hours ?? Number(course.hours), passed: e.passed ? 1 : 0, recorded_by: a.userId || null, recorded_at: at })
        .onConflict((oc) => oc.columns(['course_id', 'enterprise_key', 'person_name', 'role']).doNothing())
        .executeTakeFirst();
      added += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    if (added) await audit(tx, { action: 'course.attendance', entityType: 'course', entityId: courseId, after: { added, entries: body.entries.length } });
  });
  return { added, alreadyRecorded: body.entries.length - added, course: await courseDetail(ctx, courseId) };
}
