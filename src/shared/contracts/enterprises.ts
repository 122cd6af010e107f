import { z } from 'zod';
import { PersonName, Phone } from './common';
import { DistrictCode, IndustryCode, QueryInt, SearchText, StreetCode, Text, Version } from './fields';
import { RISK_CLASSES, STANDARDIZATION_LEVELS } from '../roles';

export const Enterprise = z.object({
  id: z.string(),
  uscc: z.string(),
  name: z.string(),
  address: z.string(),
  cityCode: z.string(),
  districtCode: z.string(),
  districtName: z.string().nullable(),
  streetCode: z.string().nullable(),
  streetName: z.string().nullable(),
  industryCode: z.string(),
  industryName: z.string().nullable(),
  principalName: z.string(),
  principalPhone: z.string().nullable(),
  safetyManagerName: z.string().nullable(),
  safetyManagerPhone: z.string().nullable(),
  riskClass: z.enum(RISK_CLASSES),
  standardizationLevel: z.enum(STANDARDIZATION_LEVELS),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  canEdit: z.boolean().describe('whether the current user may change this enterprise'),
});
export type Enterprise = z.infer<typeof Enterprise>;

const EnterpriseFields = z.object({
    uscc: Text(30, { min: 1 }),
    name: Text(200, { min: 2 }),
    address: Text(300, { min: 1 }),
    districtCode: z.string().trim().regex(/^\d{6}$/, '区代码应为6位数字'),
    streetCode: z.string().trim().regex(/^\d{9}$/, '街道代码应为9位数字').nullable().optional(),
    industryCode: z.string().trim().regex(/^\d{2}$/, '行业代码应为 GB/T 4754 两位大类代码'),
    principalName: PersonName,
    principalPhone: Phone.nullable().optional(),
    safetyManagerName: PersonName.nullable().optional(),
    safetyManagerPhone: Phone.nullable().optional(),
    riskClass: z.enum(RISK_CLASSES),
    standardizationLevel: z.enum(STANDARDIZATION_LEVELS),
    lng: z.number().min(120).max(123).nullable().optional(),
    lat: z.number().min(30).max(32.5).nullable().optional(),
});

export const EnterpriseInput = EnterpriseFields.extend({
  riskClass: z.enum(RISK_CLASSES).default('general'),
  standardizationLevel: z.enum(STANDARDIZATION_LEVELS).default('none'),
}).strict();
export type EnterpriseInput = z.input<typeof EnterpriseInput>;

export const EnterprisePatch = EnterpriseFields.partial()
  .extend({ version: Version.optional() })
  .strict();
export type EnterprisePatch = z.input<typeof EnterprisePatch>;

export const ENTERPRISE_SORTS = ['-createdAt', 'createdAt', 'name', '-name'] as const;
export const EnterpriseQuery = z
  .object({
    page: QueryInt(1, 100_000).default(1),
    pageSize: QueryInt(1, 200).default(20),
    districtCode: DistrictCode.optional(),
    streetCode: StreetCode.optional(),
    industryCode: IndustryCode.optional(),
    riskClass: z.enum(RISK_CLASSES).optional(),
    q: SearchText.optional(),
    sort: z.enum(ENTERPRISE_SORTS).default('-createdAt'),
  })
  .strict();
export type EnterpriseQuery = z.infer<typeof EnterpriseQuery>;
