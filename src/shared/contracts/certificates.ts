/**
 * 持证上岗 (#20, actions 3 and 7): workers' special-operation certificates (特种作业操作证) and principals'
 * and safety managers' safety competence certificates (安全生产知识和管理能力考核合格证), the operations
 * an enterprise declares, and the standardization record (安全生产标准化) with the benchmark list. The
 * holder's ID number is taken once and never answered: only its mask.
 */
import { z } from 'zod';
import { PersonName } from './common';
import { DistrictCode, Id, IsoDate, Paging, QueryFlag, QueryInt, SearchText, Text } from './fields';

export const CERTIFICATE_KINDS = ['special_operation', 'principal', 'safety_manager'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];
export const CERTIFICATE_KIND_LABELS: Record<CertificateKind, { zh: string; en: string }> = {
  special_operation: { zh: '特种作业操作证', en: 'Special operation certificate' },
  principal: { zh: '主要负责人安全生产知识和管理能力考核合格证', en: 'Principal’s safety competence certificate' },
  safety_manager: { zh: '安全生产管理人员安全生产知识和管理能力考核合格证', en: 'Safety manager’s competence certificate' },
};

export const CERTIFICATE_STATES = ['valid', 'expiring', 'expired', 'not_yet'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];
export const CERTIFICATE_STATE_LABELS: Record<CertificateState, { zh: string; en: string }> = {
  valid: { zh: '有效', en: 'Valid' },
  expiring: { zh: '即将到期', en: 'Expiring' },
  expired: { zh: '已过期', en: 'Expired' },
  not_yet: { zh: '未生效', en: 'Not yet valid' },
};

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** GB 11643-1999: 17 digits and a check character (mod 11 of the weighted sum). */
export function validIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17];
}
/** All but the first 3 and last 4 characters hidden. */
export const maskIdNumber = (id: string) => `${id.slice(0, 3)}${'*'.repeat(Math.max(0, id.length - 7))}${id.slice(-4)}`;
/** A certificate number with any ID number in it masked: a 特种作业操作证's number is often its holder's ID number. */
export const maskIdsIn = (text: string) => text.replace(/\d{17}[\dXx]/g, (m) => (validIdNumber(m.toUpperCase()) ? maskIdNumber(m.toUpperCase()) : m));

export const IdNumber = z
  .string()
  .trim()
  .regex(/^\d{17}[\dXx]$/, '身份证号码应为 18 位（末位可为 X）')
  .transform((s) => s.toUpperCase())
  .refine(validIdNumber, '身份证号码校验位不正确，请核对');

export const CertificateInput = z
  .object({
    enterpriseId: Id,
    holderName: PersonName,
    idNumber: IdNumber.describe('taken once, stored sealed; answers show only its mask'),
    kind: z.enum(CERTIFICATE_KINDS),
    operation: z.string().regex(/^[a-z_]{2,40}$/, '作业类别编码不正确').optional().describe('a special operation’s code (GET /api/certificates/operations); required for special_operation'),
    number: Text(50, { min: 3, minMessage: '证书编号至少 3 个字符' }),
    issuer: Text(100, { min: 2 }),
    validFrom: IsoDate('1990-01-01'),
    validTo: IsoDate('1990-01-01'),
  })
  .strict();

export const CertificateQuery = z
  .object({
    enterpriseId: Id.optional(),
    districtCode: DistrictCode.optional(),
    kind: z.enum(CERTIFICATE_KINDS).optional(),
    operation: z.string().regex(/^[a-z_]{2,40}$/, '作业类别编码不正确').optional(),
    expiring: QueryInt(1, 366).optional().describe('valid today and expiring within this many days'),
    expired: QueryFlag.optional().describe('true: expired and not renewed'),
    q: SearchText.optional(),
    ...Paging,
  })
  .strict();

export const Certificate = z.object({
  id: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  kind: z.enum(CERTIFICATE_KINDS),
  operation: z.string().nullable(),
  operationName: z.string().nullable(),
  holderName: z.string(),
  idNumberMasked: z.string(),
  number: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  state: z.enum(CERTIFICATE_STATES),
  daysLeft: z.number().int().describe('days from today to the last valid day (negative: expired)'),
  renewed: z.boolean().describe('a later valid certificate of the same holder and kind (and operation) is recorded'),
  lapseHazardId: z.string().nullable().describe('the hazard its lapse put on the ledger'),
  createdAt: z.string(),
});
export type Certificate = z.infer<typeof Certificate>;

export const SpecialOperation = z.object({ code: z.string(), name: z.string() });
export const Operations = z.object({ items: z.array(SpecialOperation), source: z.string() });
export const EnterpriseOperations = z.object({ enterpriseId: z.string(), operations: z.array(SpecialOperation.extend({ declaredAt: z.string(), validHolders: z.number().int(), lapsed: z.number().int() })) });
export const OperationsInput = z.object({ operations: z.array(z.string().regex(/^[a-z_]{2,40}$/, '作业类别编码不正确')).max(20) }).strict();

export const STANDARDIZATION_GRADES = ['level1', 'level2', 'level3', 'small'] as const;
export type StandardizationGrade = (typeof STANDARDIZATION_GRADES)[number];
export const STANDARDIZATION_GRADE_LABELS: Record<StandardizationGrade, { zh: string; en: string }> = {
  level1: { zh: '一级', en: 'Level 1' },
  level2: { zh: '二级', en: 'Level 2' },
  level3: { zh: '三级', en: 'Level 3' },
  small: { zh: '小微企业', en: 'Small enterprise' },
};

export const StandardizationInput = z
  .object({
    level: z.enum(STANDARDIZATION_GRADES),
    certificateNo: Text(60, { min: 3 }),
    issuer: Text(100, { min: 2 }),
    validFrom: IsoDate('1990-01-01'),
    validTo: IsoDate('1990-01-01').optional().describe('three years after validFrom (less a day) when left out'),
    reviewOn: IsoDate().nullable().optional(),
    note: Text(500).nullable().optional(),
    benchmark: z.object({ reason: Text(500, { min: 4, minMessage: '请说明标杆理由（至少 4 个字）' }), since: IsoDate() }).strict().nullable().optional().describe('标杆企业 (用体系管安全); null removes it'),
  })
  .strict();

export const StandardizationRecord = z.object({
  id: z.string(),
  level: z.enum(STANDARDIZATION_GRADES),
  certificateNo: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  reviewOn: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export const Standardization = z.object({
  enterpriseId: z.string(),
  current: StandardizationRecord.nullable().describe('the record in force today'),
  expired: z.boolean().describe('the latest record has passed its valid-to date'),
  expiresInDays: z.number().int().nullable(),
  reviewDue: z.boolean().describe('within the re-review window before expiry (3 months, per domain-rules)'),
  levelInForce: z.enum(['level1', 'level2', 'level3', 'none']).describe('what the enforcement frequency matrix reads (小微 and expired count as 未定级)'),
  history: z.array(StandardizationRecord),
  benchmark: z.object({ reason: z.string(), since: z.string(), namedBy: z.string() }).nullable(),
  mayEdit: z.boolean(),
});

export const StandardizationListQuery = z
  .object({
    districtCode: DistrictCode.optional(),
    level: z.enum(STANDARDIZATION_GRADES).optional(),
    expired: QueryFlag.optional().describe('true: the latest record has run out'),
    reviewDue: QueryFlag.optional().describe('true: in force and within the re-review window'),
    benchmark: QueryFlag.optional().describe('true: 标杆企业 only'),
    q: SearchText.optional(),
    ...Paging,
  })
  .strict();
export const StandardizationListItem = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  level: z.enum(STANDARDIZATION_GRADES),
  certificateNo: z.string(),
  validTo: z.string(),
  expired: z.boolean(),
  reviewDue: z.boolean(),
  benchmark: z.object({ reason: z.string(), since: z.string() }).nullable(),
});
