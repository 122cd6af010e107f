import { z } from 'zod';
import { PersonName, Phone } from './common';
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
    uscc: z.string().trim().min(1).max(30),
    name: z.string().trim().min(2).max(200),
    address: z.string().trim().min(1).max(300),
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
  .extend({ version: z.number().int().min(1).optional() })
  .strict();
export type EnterprisePatch = z.input<typeof EnterprisePatch>;

export const ENTERPRISE_SORTS = ['-createdAt', 'createdAt', 'name', '-name'] as const;
export const EnterpriseQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
    districtCode: z.string().regex(/^\d{6}$/).optional(),
    streetCode: z.string().regex(/^\d{9}$/).optional(),
    industryCode: z.string().regex(/^(\d{2}|[A-T])$/).optional(),
    riskClass: z.enum(RISK_CLASSES).optional(),
    q: z.string().trim().max(100).optional(),
    sort: z.enum(ENTERPRISE_SORTS).default('-createdAt'),
  })
  .strict();
export type EnterpriseQuery = z.infer<typeof EnterpriseQuery>;
