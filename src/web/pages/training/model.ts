/** The training pages' answers as the API gives them, and their addresses. */
import type { z } from 'zod';
import type { Course, CourseDetail, Coverage, HoursShort, Untrained } from '../../../shared/contracts/training';
import { shanghaiDate } from '../../../shared/dates';

export type CourseRow = z.infer<typeof Course>;
export type CourseFull = z.infer<typeof CourseDetail>;
export type CoverageData = z.infer<typeof Coverage>;
export type Population = CoverageData['populations'][number];
export type UntrainedList = z.infer<typeof Untrained>;
export type HoursList = z.infer<typeof HoursShort>;

export const courseUrl = (id: string, rest = '') => `/api/courses/${encodeURIComponent(id)}${rest}`;
export const thisYear = () => Number(shanghaiDate(new Date()).slice(0, 4));
/** The plan's years (coverage starts with 2024) up to this one, newest first. */
export const planYears = () => Array.from({ length: thisYear() - 2023 }, (_, i) => thisYear() - i);
