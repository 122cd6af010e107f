/**
 * 综合整治 / 专项整治 (#20, action 2): a campaign on a topic the plan names, its period, its target
 * enterprises or places and its checklist; every target gets a check (by officers, experts or the
 * enterprise's self-check) whose findings go onto the ledger with the target as their origin; the
 * progress per district counts targets, checks and the ledger's hazards of the campaign.
 */
import { z } from 'zod';
import { FindingInput } from './enforcement';
import { DistrictCode, Id, IdList, IsoDate, Paging, StreetCode, Text, Version } from './fields';

export const CAMPAIGN_TOPICS = ['problem_areas', 'high_rise_fire', 'town_gas', 'factories_warehouses', 'waterway_traffic', 'other'] as const;
export type CampaignTopic = (typeof CAMPAIGN_TOPICS)[number];
export const CAMPAIGN_TOPIC_LABELS: Record<CampaignTopic, { zh: string; en: string }> = {
  problem_areas: { zh: '安全问题隐患突出区域场所', en: 'Problem areas and places' },
  high_rise_fire: { zh: '高层建筑消防安全', en: 'High-rise fire safety' },
  town_gas: { zh: '城镇燃气安全', en: 'Town gas safety' },
  factories_warehouses: { zh: '厂房仓库安全', en: 'Factories and warehouses' },
  waterway_traffic: { zh: '水上交通安全', en: 'Waterway traffic safety' },
  other: { zh: '其他专项整治', en: 'Other campaign' },
};
export const CHECKERS = ['officer', 'expert', 'self_check'] as const;
export type Checker = (typeof CHECKERS)[number];
export const CHECKER_LABELS: Record<Checker, { zh: string; en: string }> = {
  officer: { zh: '监管人员检查', en: 'Officers' },
  expert: { zh: '专家检查', en: 'Experts' },
  self_check: { zh: '企业自查', en: 'Self-check' },
};

export const PlaceTarget = z.object({ name: Text(100, { min: 2 }), districtCode: DistrictCode, streetCode: StreetCode.nullable().optional() }).strict();
export const TargetsInput = z
  .object({ enterpriseIds: IdList(2000).default([]), places: z.array(PlaceTarget).max(500).default([]) })
  .strict()
  .refine((t) => t.enterpriseIds.length + t.places.length > 0, { message: '请至少选择一个整治对象', path: ['enterpriseIds'] });

export const CampaignInput = z
  .object({
    topic: z.enum(CAMPAIGN_TOPICS),
    title: Text(100, { min: 4 }),
    from: IsoDate('2000-01-01'),
    to: IsoDate('2000-01-01'),
    districtCodes: z.array(DistrictCode).max(100).optional().describe('every district of the city when left out (a district office: its own)'),
    checklist: z.array(z.object({ text: Text(300, { min: 2 }) }).strict()).min(1, '请至少填写一项检查内容').max(100),
    enterpriseIds: IdList(2000).default([]),
    places: z.array(PlaceTarget).max(500).default([]),
  })
  .strict();

const Counts = { targets: z.number().int(), checked: z.number().int(), hazards: z.number().int(), major: z.number().int(), closed: z.number().int(), open: z.number().int() };
export const Campaign = z.object({
  id: z.string(),
  code: z.string(),
  topic: z.enum(CAMPAIGN_TOPICS),
  title: z.string(),
  from: z.string(),
  to: z.string(),
  state: z.enum(['planned', 'running', 'ended']),
  districtCodes: z.array(z.string()),
  ...Counts,
  createdAt: z.string(),
});
export const CampaignDetail = Campaign.extend({ checklist: z.array(z.object({ id: z.string(), text: z.string() })), mayManage: z.boolean() });
export const CampaignQuery = z.object({ topic: z.enum(CAMPAIGN_TOPICS).optional(), districtCode: DistrictCode.optional(), ...Paging }).strict();
export const CampaignProgress = z.object({ campaignId: z.string(), totals: z.object(Counts), byDistrict: z.array(z.object({ districtCode: z.string(), districtName: z.string(), ...Counts })) });

export const Target = z.object({
  id: z.string(),
  enterpriseId: z.string().nullable(),
  placeName: z.string(),
  districtCode: z.string(),
  streetCode: z.string().nullable(),
  status: z.enum(['pending', 'checked']),
  checkedOn: z.string().nullable(),
  checkedBy: z.enum(CHECKERS).nullable(),
  checkedByName: z.string().nullable(),
  results: z.array(z.object({ itemId: z.string(), ok: z.boolean(), note: z.string().nullable().optional() })).nullable(),
  note: z.string().nullable(),
  findings: z.array(z.object({ hazardId: z.string(), code: z.string(), description: z.string(), grade: z.string(), status: z.string() })),
  version: z.number().int(),
});
export const TargetQuery = z.object({ districtCode: DistrictCode.optional(), status: z.enum(['pending', 'checked']).optional(), ...Paging }).strict();
export const TargetParams = z.object({ id: Id, targetId: Id });
export const CheckInput = z
  .object({
    version: Version,
    checkedOn: IsoDate('2000-01-01'),
    by: z.enum(CHECKERS),
    checkedByName: Text(100).optional(),
    results: z.array(z.object({ itemId: Id, ok: z.boolean(), note: Text(300).nullable().optional() }).strict()).max(100).default([]),
    note: Text(1000).nullable().optional(),
    findings: z.array(FindingInput).max(50).default([]),
  })
  .strict();
export const AddedTargets = z.object({ added: z.number().int(), already: z.number().int() });
