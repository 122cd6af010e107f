/** 举报奖励 (#17, measure 24): the public door, a tip as the offices handle it, rewards and figures — as the API answers and takes them. */
import { z } from 'zod';
import { Phone, PersonName } from './common';
import { DistrictCode, Id, IdList, IsoDate, IsoMonth, Paging, QueryFlag, SearchText, Text, Version } from './fields';
import { FindingInput } from './enforcement';
import { LedgerFinding } from './hazards';

export const TIP_CATEGORIES = ['major_hazard', 'illegal_production', 'concealed_accident', 'other'] as const;
export type TipCategory = (typeof TIP_CATEGORIES)[number];
export const TIP_CATEGORY_LABELS: Record<TipCategory, { zh: string; en: string }> = {
  major_hazard: { zh: '重大事故隐患', en: 'Major accident hazard' },
  illegal_production: { zh: '非法违法生产经营', en: 'Illegal production or business' },
  concealed_accident: { zh: '瞒报、谎报事故', en: 'Concealed or falsely reported accident' },
  other: { zh: '其他安全生产问题', en: 'Other safety problem' },
};

/** How a tip came in: the public door, or registered by an office from a call, a letter or a visit. */
export const TIP_CHANNELS = ['web', 'phone', 'letter', 'visit', 'hotline_12345'] as const;
export type TipChannel = (typeof TIP_CHANNELS)[number];
export const TIP_CHANNEL_LABELS: Record<TipChannel, { zh: string; en: string }> = {
  web: { zh: '网上举报', en: 'Online' },
  phone: { zh: '电话', en: 'Phone' },
  letter: { zh: '信件', en: 'Letter' },
  visit: { zh: '来访', en: 'Visit' },
  hotline_12345: { zh: '12345 热线转办', en: '12345 hotline' },
};

export const TIP_STATUSES = ['received', 'accepted', 'declined', 'verified', 'closed'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];
export const TIP_STATUS_LABELS: Record<TipStatus, { zh: string; en: string }> = {
  received: { zh: '待受理', en: 'Received' },
  accepted: { zh: '核查中', en: 'Being verified' },
  declined: { zh: '不予受理', en: 'Declined' },
  verified: { zh: '已核查待反馈', en: 'Verified, feedback due' },
  closed: { zh: '已办结', en: 'Closed' },
};

export const TIP_ACTIONS = ['accept', 'decline', 'extend', 'approve_extension', 'refuse_extension', 'findings', 'inspect', 'verify', 'feedback', 'link_duplicate'] as const;
export type TipAction = (typeof TIP_ACTIONS)[number];
export const TIP_ACTION_LABELS: Record<TipAction | 'receive' | 'identity_revealed' | 'reward_propose' | 'reward_approve' | 'reward_pay' | 'claim', { zh: string; en: string }> = {
  receive: { zh: '收到举报', en: 'Received' },
  accept: { zh: '受理', en: 'Accept' },
  decline: { zh: '不予受理', en: 'Decline' },
  extend: { zh: '申请延期', en: 'Request extension' },
  approve_extension: { zh: '批准延期', en: 'Approve extension' },
  refuse_extension: { zh: '不批准延期', en: 'Refuse extension' },
  findings: { zh: '登记核查发现的隐患', en: 'Record hazards found' },
  inspect: { zh: '安排执法检查', en: 'Arrange an inspection' },
  verify: { zh: '核查办结', en: 'Verify' },
  feedback: { zh: '反馈举报人', en: 'Tell the reporter' },
  link_duplicate: { zh: '关联重复举报', en: 'Link as duplicate' },
  identity_revealed: { zh: '查看举报人信息', en: 'Identity revealed' },
  reward_propose: { zh: '拟定奖励', en: 'Propose reward' },
  reward_approve: { zh: '批准奖励', en: 'Approve reward' },
  reward_pay: { zh: '发放奖励', en: 'Pay reward' },
  claim: { zh: '举报人申领奖励', en: 'Reward claimed' },
};

export const REWARD_STATUSES = ['none', 'proposed', 'approved', 'paid'] as const;
export type RewardStatus = (typeof REWARD_STATUSES)[number];
export const REWARD_STATUS_LABELS: Record<RewardStatus, { zh: string; en: string }> = {
  none: { zh: '未拟定', en: 'None' },
  proposed: { zh: '已拟定待批准', en: 'Proposed' },
  approved: { zh: '已批准待发放', en: 'Approved' },
  paid: { zh: '已发放', en: 'Paid' },
};

const Description = Text(2000, { min: 10, minMessage: '请描述举报的具体内容（至少 10 个字）' });

/** The public door's form. `website` is the bots' field: hidden from people, it must stay empty. */
export const PublicTipInput = z
  .object({
    category: z.enum(TIP_CATEGORIES),
    description: Description,
    districtCode: DistrictCode.optional(),
    enterpriseId: Id.optional().describe('from the public enterprise search'),
    enterpriseName: Text(100).optional(),
    place: Text(200).optional(),
    anonymous: z.boolean(),
    name: PersonName.optional(),
    phone: Phone.optional(),
    attachmentIds: IdList(5).optional().describe('from POST /api/public/files'),
    website: Text(200).optional().describe('leave empty'),
  })
  .strict()
  .superRefine((v, c) => {
    if (!v.districtCode && !v.enterpriseId) c.addIssue({ code: 'custom', path: ['districtCode'], message: '请选择所在区（或从名录中选择被举报单位）' });
    if (v.anonymous && (v.name || v.phone)) c.addIssue({ code: 'custom', path: ['anonymous'], message: '匿名举报请勿填写姓名和电话' });
    if (!v.anonymous && !v.name && !v.phone) c.addIssue({ code: 'custom', path: ['name'], message: '实名举报请填写姓名或电话' });
  });

export const PublicTipReceipt = z.object({ receipt: z.string(), secret: z.string(), acceptBy: z.string() });

/** What the reporter sees with the receipt and the secret: the status and what the office told them — nothing else. */
export const PublicTipStatus = z.object({
  receipt: z.string(),
  category: z.enum(TIP_CATEGORIES),
  receivedOn: z.string(),
  status: z.enum(TIP_STATUSES),
  statusLabel: z.string(),
  feedback: z.string().nullable(),
  feedbackOn: z.string().nullable(),
  reward: z.object({ status: z.enum(['ready', 'claimed', 'paid']), amountYuan: z.number(), howToClaim: z.string(), howToClaimEn: z.string() }).nullable(),
});

export const PublicClaimInput = z
  .object({
    name: PersonName,
    phone: Phone,
    idNumber: z.string().trim().regex(/^\d{17}[\dXx]$/, '身份证号应为18位').optional(),
    bankAccount: z.string().trim().regex(/^[0-9 ]{8,34}$/, '银行账号格式不正确').optional(),
    bankName: Text(60).optional(),
  })
  .strict();

export const PublicEnterpriseQuery = z.object({ q: Text(50, { min: 2, minMessage: '请至少输入 2 个字' }) }).strict();
export const PublicEnterprise = z.object({ id: z.string(), name: z.string(), districtName: z.string() });

/** An office registers a tip that came by phone, letter, visit or the 12345 hotline. */
export const TipInput = z
  .object({
    channel: z.enum(TIP_CHANNELS).exclude(['web']),
    category: z.enum(TIP_CATEGORIES),
    description: Description,
    districtCode: DistrictCode.optional(),
    enterpriseId: Id.optional(),
    enterpriseName: Text(100).optional(),
    place: Text(200).optional(),
    receivedOn: IsoDate('2000-01-01').optional().describe('default today'),
    anonymous: z.boolean(),
    name: PersonName.optional(),
    phone: Phone.optional(),
  })
  .strict()
  .superRefine((v, c) => {
    if (!v.districtCode && !v.enterpriseId) c.addIssue({ code: 'custom', path: ['districtCode'], message: '请选择所在区，或选择被举报企业' });
    if (v.anonymous && (v.name || v.phone)) c.addIssue({ code: 'custom', path: ['anonymous'], message: '匿名举报不记录姓名和电话' });
    if (!v.anonymous && !v.name && !v.phone) c.addIssue({ code: 'custom', path: ['name'], message: '实名举报请填写举报人姓名或电话' });
  });

export const TipQuery = z
  .object({
    ...Paging,
    status: z.enum(TIP_STATUSES).optional(),
    category: z.enum(TIP_CATEGORIES).optional(),
    channel: z.enum(TIP_CHANNELS).optional(),
    districtCode: DistrictCode.optional(),
    from: IsoMonth().optional().describe('received in this month (Shanghai) or later'),
    to: IsoMonth().optional().describe('received in this month or earlier'),
    overdue: QueryFlag.optional(),
    substantiated: QueryFlag.optional(),
    acceptedOnTime: QueryFlag.optional(),
    verifiedOnTime: QueryFlag.optional(),
    withHazards: QueryFlag.optional(),
    rewardStatus: z.enum(REWARD_STATUSES).optional(),
    q: SearchText.optional(),
  })
  .strict();

export const Tip = z.object({
  id: z.string(),
  code: z.string(),
  channel: z.enum(TIP_CHANNELS),
  category: z.enum(TIP_CATEGORIES),
  description: z.string(),
  districtCode: z.string(),
  streetCode: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  enterpriseName: z.string().nullable(),
  place: z.string().nullable(),
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  anonymous: z.boolean(),
  status: z.enum(TIP_STATUSES),
  receivedAt: z.string(),
  acceptBy: z.string(),
  verifyBy: z.string().nullable(),
  feedbackBy: z.string().nullable(),
  extension: z.enum(['none', 'requested', 'approved']),
  substantiated: z.boolean().nullable(),
  overdue: z.boolean().describe('a step is past its last day (Shanghai)'),
  duplicateOf: z.string().nullable(),
  suspectedDuplicateOf: z.string().nullable(),
  hazards: z.number(),
  majorHazards: z.number(),
  rewardStatus: z.enum(REWARD_STATUSES),
  rewardYuan: z.number().nullable(),
  version: z.number(),
});
export type Tip = z.infer<typeof Tip>;

const Event = z.object({ seq: z.number(), action: z.string(), actorName: z.string(), at: z.string(), comment: z.string().nullable(), data: z.record(z.string(), z.unknown()).nullable(), attachmentIds: z.array(z.string()) });

export const TipDetail = Tip.extend({
  declineReason: z.string().nullable(),
  verification: z.string().nullable(),
  feedback: z.string().nullable(),
  fedBackAt: z.string().nullable(),
  photos: z.array(z.object({ id: z.string(), mime: z.string(), size: z.number() })),
  findings: z.array(LedgerFinding),
  duplicateCandidates: z.array(z.object({ id: z.string(), code: z.string(), description: z.string(), receivedAt: z.string(), status: z.enum(TIP_STATUSES), similarity: z.number() })),
  hasIdentity: z.boolean().describe('the reporter left a name or phone (sealed; only the custodian reveals it)'),
  claimed: z.boolean(),
  reward: z
    .object({
      status: z.enum(REWARD_STATUSES),
      amountYuan: z.number(),
      steps: z.array(z.string()),
      ruleEffectiveFrom: z.string(),
      paidOn: z.string().nullable(),
      paymentRef: z.string().nullable(),
    })
    .nullable(),
  events: z.array(Event),
  actions: z.array(z.enum(TIP_ACTIONS)),
  rewardActions: z.array(z.enum(['propose', 'approve', 'pay'])),
  mayReveal: z.boolean(),
});
export type TipDetail = z.infer<typeof TipDetail>;

const StepBase = { version: Version, note: Text(1000).optional() };
export const TipStepInput = z.object(StepBase).strict();
export const TipNoteRequired = z.object({ version: Version, note: Text(1000, { min: 2, minMessage: '请填写说明' }) }).strict();
export const TipVerifyInput = z
  .object({
    ...StepBase,
    note: Text(2000, { min: 2, minMessage: '请填写核查情况' }),
    substantiated: z.boolean(),
    hazards: z.array(FindingInput.extend({ enterpriseId: Id.optional() })).max(50).optional(),
  })
  .strict();
export const TipFindingsInput = z.object({ version: Version, findings: z.array(FindingInput.extend({ enterpriseId: Id.optional() })).min(1).max(50) }).strict();
export const TipInspectionInput = z
  .object({
    version: Version,
    date: IsoDate(),
    inspectorIds: z.array(Id).min(2, '执法检查须由两名以上执法人员进行').max(5),
    unannounced: z.boolean().default(true).describe('四不两直, the default for a tip'),
  })
  .strict();
export const TipInspectionResult = z.object({ inspectionId: z.string(), inspectionCode: z.string(), version: z.number() });
export const TipInspector = z.object({ id: z.string(), name: z.string() });
export const TipLinkInput = z.object({ ...StepBase, duplicateOf: Id }).strict();
export const TipFindingsResult = z.object({ hazardIds: z.array(z.string()), version: z.number() });

export const RewardProposeInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fine_share'), version: Version, fineYuan: z.number().min(0).max(100_000_000), reporterIsEmployee: z.boolean().optional(), note: Text(500).optional() }).strict(),
  z.object({ kind: z.literal('concealed_accident'), version: Version, deaths: z.number().int().min(1).max(1000), grade: z.enum(['general', 'larger', 'major', 'especially_major']), reporterIsEmployee: z.boolean().optional(), note: Text(500).optional() }).strict(),
]);
export const RewardPayInput = z.object({ version: Version, paidOn: IsoDate(), paymentRef: Text(60, { min: 1, minMessage: '请填写发放凭证号' }), note: Text(500).optional() }).strict();

export const RevealInput = z.object({ reason: Text(500, { min: 5, minMessage: '请说明查看举报人信息的理由（至少 5 个字）' }) }).strict();
export const RevealedIdentity = z.object({
  anonymous: z.boolean(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  claim: PublicClaimInput.nullable(),
});

export const TipStatsQuery = z.object({ from: IsoMonth().optional(), to: IsoMonth().optional(), districtCode: DistrictCode.optional() }).strict();
const Counts = z.object({
  received: z.number(),
  accepted: z.number(),
  declined: z.number(),
  acceptedOnTime: z.number(),
  verified: z.number(),
  verifiedOnTime: z.number(),
  substantiated: z.number(),
  withHazards: z.number().describe('tips whose verification found a hazard'),
  hazards: z.number(),
  majorHazards: z.number(),
  rewardsApproved: z.number(),
  rewardsApprovedYuan: z.number(),
  rewardsPaid: z.number(),
  rewardsPaidYuan: z.number(),
});
export type TipCounts = z.infer<typeof Counts>;
export const TipStats = z.object({
  from: z.string(),
  to: z.string(),
  totals: Counts,
  byMonth: z.array(Counts.extend({ month: z.string() })),
  byChannel: z.array(Counts.extend({ channel: z.enum(TIP_CHANNELS) })),
  byCategory: z.array(Counts.extend({ category: z.enum(TIP_CATEGORIES) })),
  byDistrict: z.array(Counts.extend({ districtCode: z.string(), districtName: z.string() })),
});
