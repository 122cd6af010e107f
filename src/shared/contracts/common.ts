import { z } from 'zod';
import { Id, Text } from './fields';

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export type ListResult<T> = { items: T[]; total: number; page: number; pageSize: number };

export const IdParam = z.object({ id: Id });
export const IsoDateTime = z.string().describe('ISO-8601 UTC timestamp');

/** RFC 9457 problem details, as every error answers. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  detailEn: z.string().optional(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z
    .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
    .optional(),
});
export type Problem = z.infer<typeof Problem>;

export const Phone = z.string().trim().regex(/^[0-9+\-() ]{5,30}$/, '电话号码格式不正确');
export const PersonName = Text(50, { min: 1 });
