/**
 * 主要负责人安全教育培训 (#20, actions 3 and 7): courses (the plan's 中央党校主课堂 with city and district
 * branch classrooms), attendance of enterprises' people and of officials alongside, coverage of the
 * year's focus populations per district, and people below the required hours.
 */
import { z } from 'zod';
import { PersonName } from './common';
import { DistrictCode, Id, IndustryCode, IsoDate, Paging, QueryInt, Text } from './fields';

export const COURSE_MODES = ['main', 'city_branch', 'district_branch', 'other'] as const;
export type CourseMode = (typeof COURSE_MODES)[number];
export const COURSE_MODE_LABELS: Record<CourseMode, { zh: string; en: string }> = {
  main: { zh: '中央党校主课堂', en: 'Central main classroom' },
  city_branch: { zh: '市级分课堂', en: 'City branch classroom' },
  district_branch: { zh: '区级分课堂', en: 'District branch classroom' },
  other: { zh: '其他培训', en: 'Other course' },
};

export const TRAINEE_ROLES = ['principal', 'safety_manager', 'fire_safety', 'worker', 'official'] as const;
export type TraineeRole = (typeof TRAINEE_ROLES)[number];
export const TRAINEE_ROLE_LABELS: Record<TraineeRole, { zh: string; en: string }> = {
  principal: { zh: '主要负责人', en: 'Principal person' },
  safety_manager: { zh: '安全生产管理人员', en: 'Safety manager' },
  fire_safety: { zh: '消防安全责任人', en: 'Fire-safety person' },
  worker: { zh: '从业人员', en: 'Worker' },
  official: { zh: '安全监管人员（跟班）', en: 'Official attending alongside' },
};

export const CourseInput = z
  .object({
    title: Text(100, { min: 2 }),
    organiser: Text(100, { min: 2 }),
    mode: z.enum(COURSE_MODES),
    districtCode: DistrictCode.nullable().optional().describe('a district branch classroom’s district'),
    from: IsoDate('2000-01-01'),
    to: IsoDate('2000-01-01'),
    hours: z.number().positive('学时应大于 0').max(500, '学时不能大于 500'),
    focusYear: z.number().int().min(2024).max(2100).nullable().optional().describe('the plan year whose focus it serves'),
    industries: z.array(IndustryCode).max(50).default([]),
    audience: z.array(z.enum(TRAINEE_ROLES)).min(1, '请选择培训对象').max(5),
  })
  .strict();

export const Course = z.object({
  id: z.string(),
  title: z.string(),
  organiser: z.string(),
  mode: z.enum(COURSE_MODES),
  districtCode: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  hours: z.number(),
  focusYear: z.number().int().nullable(),
  industries: z.array(z.string()),
  audience: z.array(z.enum(TRAINEE_ROLES)),
  attendees: z.number().int().describe('attendance rows this reader may see'),
  createdAt: z.string(),
});
export const CourseQuery = z.object({ year: QueryInt(2000, 2100).optional(), mode: z.enum(COURSE_MODES).optional(), districtCode: DistrictCode.optional(), ...Paging }).strict();

export const AttendanceEntry = z
  .object({
    enterpriseId: Id.nullable().optional().describe('the trainee’s enterprise; none for an official'),
    personName: PersonName,
    role: z.enum(TRAINEE_ROLES),
    officeName: Text(100).nullable().optional().describe('an official’s office'),
    hours: z.number().positive().max(500).optional().describe('the course’s hours when left out'),
    passed: z.boolean().default(true),
  })
  .strict();
export const AttendanceInput = z.object({ entries: z.array(AttendanceEntry).min(1, '请至少填写一名学员').max(500, '一次最多 500 名学员') }).strict();
export const Attendance = z.object({
  id: z.string(),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  districtCode: z.string().nullable(),
  personName: z.string(),
  role: z.enum(TRAINEE_ROLES),
  officeName: z.string().nullable(),
  hours: z.number(),
  passed: z.boolean(),
});
export const CourseDetail = Course.extend({ attendance: z.array(Attendance) });
export const AttendanceResult = z.object({ added: z.number().int(), alreadyRecorded: z.number().int(), course: CourseDetail });

export const CoverageQuery = z.object({ year: QueryInt(2024, 2100), districtCode: DistrictCode.optional() }).strict();
export const Coverage = z.object({
  year: z.number().int(),
  source: z.string().describe('where the year’s focus comes from'),
  populations: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      role: z.enum(TRAINEE_ROLES),
      industryCodes: z.array(z.string()),
      kinds: z.array(z.string()),
      target: z.number().int(),
      trained: z.number().int(),
      notYet: z.number().int(),
      rate: z.number().nullable(),
      byDistrict: z.array(z.object({ districtCode: z.string(), districtName: z.string(), target: z.number().int(), trained: z.number().int(), notYet: z.number().int() })),
    }),
  ),
});
export const UntrainedQuery = z.object({ year: QueryInt(2024, 2100), population: z.string().regex(/^[a-z0-9_]{1,40}$/, '人群编码不正确'), districtCode: DistrictCode.optional(), ...Paging }).strict();
export const Untrained = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), districtCode: z.string(), industryCode: z.string(), principalName: z.string() })), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const HoursQuery = z.object({ year: QueryInt(2000, 2100), districtCode: DistrictCode.optional(), ...Paging }).strict();
export const HoursShort = z.object({
  year: z.number().int(),
  items: z.array(z.object({ enterpriseId: z.string(), enterpriseName: z.string(), districtCode: z.string(), personName: z.string(), role: z.enum(TRAINEE_ROLES), hours: z.number(), required: z.number(), initial: z.boolean().describe('the initial hours apply: no passed training before the year'), highRisk: z.boolean() })),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const KindsInput = z.object({ kinds: z.array(Text(30, { min: 2 })).max(20) }).strict();
export const EnterpriseKinds = z.object({ enterpriseId: z.string(), kinds: z.array(z.string()), known: z.array(z.string()).describe('the kinds the training focus names') });
