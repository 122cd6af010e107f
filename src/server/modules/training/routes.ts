import { IdParam, listOf } from '../../../shared/contracts/common';
import { AttendanceInput, AttendanceResult, Course, CourseDetail, CourseInput, CourseQuery, Coverage, CoverageQuery, EnterpriseKinds, HoursQuery, HoursShort, KindsInput, Untrained, UntrainedQuery } from '../../../shared/contracts/training';
import { route, type RouteDef } from '../../http/route';
import { courseDetail, createCourse, listCourses, recordAttendance } from './courses';
import { enterpriseKinds, hoursShort, setEnterpriseKinds, trainingCoverage, untrained } from './coverage';

const tags = ['training'];

/** 主要负责人安全教育培训 (#20, actions 3 and 7): courses, attendance, the year's focus coverage, hours below the requirement, enterprise kinds. */
export const trainingRoutes: RouteDef[] = [
  route({ method: 'GET', url: '/api/courses', summary: 'Courses of the city, newest first (attendance counted as the reader may see it)', tags, auth: 'user', query: CourseQuery, response: { status: 200, schema: listOf(Course) }, errors: ['FORBIDDEN'], handler: ({ ctx, query }) => listCourses(ctx, query) }),
  route({ method: 'POST', url: '/api/courses', summary: 'Set up a course: the city office and departments any classroom, a district office its own branch classroom', tags, auth: 'user', body: CourseInput, response: { status: 201, schema: CourseDetail }, errors: ['FORBIDDEN', 'VALIDATION_FAILED', 'UNKNOWN_REGION', 'UNKNOWN_INDUSTRY'], handler: ({ ctx, body }) => createCourse(ctx, body) }),
  route({ method: 'GET', url: '/api/courses/:id', summary: 'A course with the attendance the reader may see', tags, auth: 'user', params: IdParam, response: { status: 200, schema: CourseDetail }, errors: ['FORBIDDEN', 'NOT_FOUND'], handler: ({ ctx, params }) => courseDetail(ctx, params.id) }),
  route({ method: 'POST', url: '/api/courses/:id/attendance', summary: 'Record attendance (each person once per course and role; an official without an enterprise)', tags, auth: 'user', params: IdParam, body: AttendanceInput, response: { status: 200, schema: AttendanceResult }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'UNKNOWN_ENTERPRISE'], handler: ({ ctx, params, body }) => recordAttendance(ctx, params.id, body) }),
  route({ method: 'GET', url: '/api/training/coverage', summary: 'The year’s focus populations: target enterprises in scope, trained that year, not yet — per district', tags, auth: 'user', query: CoverageQuery, response: { status: 200, schema: Coverage }, errors: ['FORBIDDEN'], handler: ({ ctx, query }) => trainingCoverage(ctx, query) }),
  route({ method: 'GET', url: '/api/training/untrained', summary: 'A focus population’s enterprises not yet trained that year (the list behind `notYet`)', tags, auth: 'user', query: UntrainedQuery, response: { status: 200, schema: Untrained }, errors: ['FORBIDDEN', 'VALIDATION_FAILED'], handler: ({ ctx, query }) => untrained(ctx, query) }),
  route({ method: 'GET', url: '/api/training/hours', summary: 'Principal persons and safety managers below the year’s required retraining hours', tags, auth: 'user', query: HoursQuery, response: { status: 200, schema: HoursShort }, errors: ['FORBIDDEN'], handler: ({ ctx, query }) => hoursShort(ctx, query) }),
  route({ method: 'GET', url: '/api/enterprises/:id/kinds', summary: 'The enterprise’s kinds (二级医院, 大型商业综合体 …) and the kinds the training focus names', tags, auth: 'user', params: IdParam, response: { status: 200, schema: EnterpriseKinds }, errors: ['NOT_FOUND'], handler: ({ ctx, params }) => enterpriseKinds(ctx, params.id) }),
  route({ method: 'PUT', url: '/api/enterprises/:id/kinds', summary: 'Tag the enterprise’s kinds (the whole list), by the offices', tags, auth: 'user', params: IdParam, body: KindsInput, response: { status: 200, schema: EnterpriseKinds }, errors: ['FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'], handler: ({ ctx, params, body }) => setEnterpriseKinds(ctx, params.id, body) }),
];
