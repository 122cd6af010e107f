/** 第三方服务机构 (#16, measure 28): the registry, engagements and the agencies' record — as the API answers and takes them. */
import { z } from 'zod';
import { checkRanges, DistrictCode, Id, IdList, IsoDate, Paging, QueryFlag, SearchText, Text, Version } from './fields';
import { FindingInput } from './enforcement';
import { LedgerFinding } from './hazards';

export const SERVICE_TYPES = ['evaluation', 'testing', 'consulting', 'training', 'hosting'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
export const SERVICE_TYPE_LABELS: Record<ServiceType, { zh: string; en: string }> = {
  evaluation: { zh: '安全评价', en: 'Safety evaluation' },
  testing: { zh: '检测检验', en: 'Testing' },
  consulting: { zh: '安全咨询', en: 'Consulting' },
  training: { zh: '安全培训', en: 'Training' },
  hosting: { zh: '安全托管', en: 'Safety hosting' },
};
/** Services whose report speaks to the hazards an enterprise has (training does not): the ones an inspection can contradict. */
export const ASSESSING_SERVICES: readonly ServiceType[] = ['evaluation', 'testing', 'consulting', 'hosting'];

/** A qualification's standing on a day: expired, expiring within the warning days, or valid. */
export const QUALIFICATION_STATES = ['valid', 'expiring', 'expired'] as const;
export type QualificationState = (typeof QUALIFICATION_STATES)[number];

/** Checked in full (its check character) by the registry, as the enterprises' is. */
const Uscc = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码应为18位（数字或大写字母，不含 I、O、Z、S、V）');
const Phone = z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式不正确');

export const QualificationInput = z
  .object({
    name: Text(100, { min: 2, minMessage: '请填写资质名称' }),
    issuer: Text(100, { min: 2, minMessage: '请填写发证机关' }),
    number: Text(60, { min: 1, minMessage: '请填写证书编号' }),
    validFrom: IsoDate().optional(),
    expiresOn: IsoDate(),
  })
  .strict()
  .superRefine(checkRanges([['validFrom', 'expiresOn']]));

export const StaffInput = z
  .object({
    name: Text(40, { min: 2, minMessage: '请填写人员姓名' }),
    certificate: Text(100, { min: 2, minMessage: '请填写证书名称' }),
    certificateNo: Text(60, { min: 1, minMessage: '请填写证书编号' }),
    certificateExpiresOn: IsoDate().optional(),
  })
  .strict();

export const AgencyInput = z
  .object({
    name: Text(100, { min: 2, minMessage: '请填写机构名称' }),
    uscc: Uscc,
    serviceTypes: z.array(z.enum(SERVICE_TYPES)).min(1, '请至少选择一项服务类型').max(SERVICE_TYPES.length),
    approvedBy: Text(100, { min: 2, minMessage: '请填写审批（备案）机关（谁审批谁负责）' }),
    supervisedBy: Text(100).optional().describe('行业主管部门 (谁主管谁负责)'),
    districtCode: DistrictCode.optional().describe('the district whose registry keeps it (city officers may leave it out)'),
    address: Text(200).optional(),
    contactName: Text(40).optional(),
    contactPhone: Phone.optional(),
    qualifications: z.array(QualificationInput).max(30).default([]),
    staff: z.array(StaffInput).max(500).default([]),
  })
  .strict();
export type AgencyInput = z.input<typeof AgencyInput>;

export const AgencyPatch = z
  .object({
    version: Version,
    name: Text(100, { min: 2 }).optional(),
    serviceTypes: z.array(z.enum(SERVICE_TYPES)).min(1, '请至少选择一项服务类型').max(SERVICE_TYPES.length).optional(),
    approvedBy: Text(100, { min: 2 }).optional(),
    supervisedBy: Text(100).nullable().optional(),
    address: Text(200).nullable().optional(),
    contactName: Text(40).nullable().optional(),
    contactPhone: Phone.nullable().optional(),
    qualifications: z.array(QualificationInput).max(30).optional().describe('the whole list, replacing the one kept'),
    staff: z.array(StaffInput).max(500).optional().describe('the whole list, replacing the one kept'),
  })
  .strict();

export const AgencyQuery = z
  .object({
    ...Paging,
    q: SearchText.optional().describe('name or credit code'),
    serviceType: z.enum(SERVICE_TYPES).optional(),
    listed: QueryFlag.optional().describe('listed as untrustworthy by some office'),
    qualification: z.enum(QUALIFICATION_STATES).optional().describe('its worst qualification is in this state'),
  })
  .strict();

export const Qualification = z.object({ name: z.string(), issuer: z.string(), number: z.string(), validFrom: z.string().nullable(), expiresOn: z.string(), state: z.enum(QUALIFICATION_STATES) });
export const Staff = z.object({ name: z.string(), certificate: z.string(), certificateNo: z.string(), certificateExpiresOn: z.string().nullable(), expired: z.boolean() });
export const Listing = z.object({
  id: z.string(),
  districtCode: z.string().nullable(),
  officeName: z.string(),
  reason: z.string(),
  listedAt: z.string(),
  listedByName: z.string().nullable(),
  liftedAt: z.string().nullable(),
  liftReason: z.string().nullable(),
  mayLift: z.boolean().describe('the caller’s office listed it and it is in force'),
});
export const RECORD_KINDS = ['complaint', 'penalty'] as const;
export const AgencyRecord = z.object({ id: z.string(), kind: z.enum(RECORD_KINDS), occurredOn: z.string(), summary: z.string(), districtCode: z.string().nullable(), recordedAt: z.string() });

export const Agency = z.object({
  id: z.string(),
  name: z.string(),
  uscc: z.string(),
  serviceTypes: z.array(z.enum(SERVICE_TYPES)),
  approvedBy: z.string(),
  supervisedBy: z.string().nullable(),
  districtCode: z.string().nullable(),
  qualificationState: z.enum(QUALIFICATION_STATES).nullable().describe('the worst of its qualifications today; null when it has none'),
  nextExpiry: z.string().nullable(),
  listed: z.boolean().describe('listed as untrustworthy by at least one office'),
  engagements: z.number().int(),
  findings: z.number().int(),
  majorFindings: z.number().int(),
  /** What anyone engaging it should be told first: each listing, an expired qualification. */
  warnings: z.array(z.string()),
  version: z.number().int(),
});
export type Agency = z.infer<typeof Agency>;

export const AgencyDetail = Agency.extend({
  address: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  qualifications: z.array(Qualification),
  staff: z.array(Staff),
  listings: z.array(Listing),
  records: z.array(AgencyRecord),
  complaints: z.number().int(),
  penalties: z.number().int(),
  contradictedCount: z.number().int().describe('its reports an inspection contradicted within the window, city-wide'),
  contradicted: z.array(z.object({ engagementId: z.string(), engagementCode: z.string(), enterpriseName: z.string(), concludedOn: z.string(), hazardId: z.string(), hazardCode: z.string(), foundOn: z.string() })).describe('those of them in the caller’s scope, with the enterprise and the hazard'),
  contradictionDays: z.number().int(),
  mayEdit: z.boolean(),
  mayList: z.boolean(),
});
export type AgencyDetail = z.infer<typeof AgencyDetail>;

export const ListingInput = z.object({ reason: Text(1000, { min: 5, minMessage: '请说明列入失信名单的事实和依据（至少 5 个字）' }) }).strict();
export const LiftInput = z.object({ reason: Text(1000, { min: 2, minMessage: '请说明移出的理由' }) }).strict();
export const RecordInput = z
  .object({
    kind: z.enum(RECORD_KINDS),
    occurredOn: IsoDate(),
    summary: Text(1000, { min: 5, minMessage: '请简述投诉或处罚的内容（至少 5 个字）' }),
    enterpriseId: Id.optional().describe('the enterprise that complains (an enterprise: itself)'),
  })
  .strict();

// ─── Engagements ──────────────────────────────────────────────────────────────

export const ENGAGEMENT_STATUSES = ['in_service', 'concluded'] as const;
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number];
export const ENGAGEMENT_STATUS_LABELS: Record<EngagementStatus, { zh: string; en: string }> = {
  in_service: { zh: '服务中', en: 'In service' },
  concluded: { zh: '已出具报告', en: 'Report delivered' },
};

export const EngagementInput = z
  .object({
    enterpriseId: Id,
    agencyId: Id,
    serviceType: z.enum(SERVICE_TYPES),
    from: IsoDate(),
    to: IsoDate(),
    fileIds: IdList(9).optional().describe('the contract'),
    acknowledgeWarnings: z.boolean().optional().describe('the agency carries warnings (untrustworthy, expired qualification): engage it anyway'),
  })
  .strict()
  .superRefine(checkRanges([['from', 'to']]));
export type EngagementInput = z.input<typeof EngagementInput>;

export const EngagementQuery = z
  .object({
    ...Paging,
    agencyId: Id.optional(),
    enterpriseId: Id.optional(),
    districtCode: DistrictCode.optional(),
    status: z.enum(ENGAGEMENT_STATUSES).optional(),
  })
  .strict();

export const Engagement = z.object({
  id: z.string(),
  code: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  districtCode: z.string(),
  agencyId: z.string(),
  agencyName: z.string(),
  agencyWarnings: z.array(z.string()).describe('the agency’s warnings as they stand today'),
  serviceType: z.enum(SERVICE_TYPES),
  from: z.string(),
  to: z.string(),
  status: z.enum(ENGAGEMENT_STATUSES),
  concludedOn: z.string().nullable(),
  findings: z.number().int(),
  majorFindings: z.number().int(),
  version: z.number().int(),
});
export type Engagement = z.infer<typeof Engagement>;

export const EngagementDetail = Engagement.extend({
  conclusion: z.string().nullable(),
  warningsAcknowledged: z.array(z.string()).describe('the warnings the enterprise was shown and engaged the agency anyway'),
  files: z.array(z.object({ fileId: z.string(), kind: z.enum(['contract', 'deliverable']) })),
  findingsList: z.array(LedgerFinding),
  contradictedBy: z.array(z.object({ hazardId: z.string(), hazardCode: z.string(), foundOn: z.string() })),
  events: z.array(z.object({ seq: z.number().int(), action: z.string(), actorName: z.string(), at: z.string(), comment: z.string().nullable(), attachmentIds: z.array(z.string()) })),
  mayRecord: z.boolean(),
  mayConclude: z.boolean(),
});
export type EngagementDetail = z.infer<typeof EngagementDetail>;

export const EngagementFindingsInput = z.object({ version: Version, findings: z.array(FindingInput).min(1).max(50) }).strict();
export const ConcludeInput = z
  .object({
    version: Version,
    concludedOn: IsoDate().describe('the day the agency’s report is dated'),
    conclusion: Text(2000, { min: 2, minMessage: '请填写报告结论' }),
    fileIds: IdList(9).min(1, '请上传机构出具的报告（交付文件）'),
  })
  .strict();
