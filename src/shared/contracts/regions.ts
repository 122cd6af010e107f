import { z } from 'zod';

export const REGION_LEVELS = ['city', 'district', 'street'] as const;
export const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentCode: z.string().nullable(),
  kind: z.string().nullable().describe('街道 / 镇 / 乡 / other statistical unit, for streets'),
});
export type Region = z.infer<typeof Region>;
export const RegionQuery = z
  .object({
    level: z.enum(REGION_LEVELS).optional(),
    parent: z.string().regex(/^\d{6,9}$/).optional(),
  })
  .strict();

export const Industry = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['section', 'division']),
  parentCode: z.string().nullable(),
});
export type Industry = z.infer<typeof Industry>;
