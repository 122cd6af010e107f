import { z } from 'zod';
import { DistrictCode, IndustryCode, Text } from './fields';

export const Department = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string().describe('310000 for a city department, a district code for a district one'),
  regionName: z.string().nullable(),
  industryCodes: z.array(z.string()).describe('GB/T 4754 sections or divisions it supervises (管行业必须管安全)'),
});
export type Department = z.infer<typeof Department>;
export const DepartmentQuery = z
  .object({
    regionCode: DistrictCode.optional(),
    industryCode: IndustryCode.optional(),
  })
  .strict();

export const DepartmentInput = z
  .object({
    name: Text(100, { min: 2 }),
    regionCode: z.string().regex(/^\d{6}$/, '区域代码应为6位（本市或某区）'),
    industryCodes: z.array(IndustryCode).max(120).default([]),
  })
  .strict();
