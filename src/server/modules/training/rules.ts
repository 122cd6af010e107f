/**
 * 培训 (#20) as configuration: the plan's yearly focus for principal persons' training — the focus is
 * the plan's own (reference/shanghai-plan-2024-2026.txt, measure 9); which industries and enterprise
 * kinds make each population is our reading, to check — and the required hours by role and sector
 * (《生产经营单位安全培训规定》 §9; the high-risk sectors mapped to GB/T 4754 divisions by us, to verify).
 */
import { z } from 'zod';
import { TRAINEE_ROLES } from '../../../shared/contracts/training';
import { defineRule } from '../../rules/rules';

const Population = z
  .object({
    key: z.string().regex(/^[a-z0-9_]{1,40}$/),
    label: z.string().min(2).max(100),
    role: z.enum(TRAINEE_ROLES),
    industryCodes: z.array(z.string().regex(/^\d{2}$/)).max(50),
    kinds: z.array(z.string().min(2).max(30)).max(20),
  })
  .strict()
  .refine((p) => p.industryCodes.length + p.kinds.length > 0, { message: '人群须按行业或企业类别界定' });
export type Population = z.infer<typeof Population>;

export const TRAINING_FOCUS = defineRule<{ year: number; populations: Population[] }[]>({
  key: 'training.focus',
  title: { zh: '年度培训重点人群', en: 'The year’s training focus' },
  help: {
    zh: '每年的重点人群：名称、培训对象角色、所属行业大类（GB/T 4754 两位代码）或企业类别（如“三级医院”“大型商业综合体”，在企业页面标注）；满足其一即属目标人群。',
    en: 'Each year’s focus populations: label, trainee role, GB/T 4754 divisions or enterprise kinds (tagged on the enterprise page); an enterprise matching either is in the population.',
  },
  schema: z
    .array(z.object({ year: z.number().int().min(2000).max(2100), populations: z.array(Population).max(20) }).strict())
    .max(20)
    .refine((ys) => new Set(ys.map((y) => y.year)).size === ys.length, { message: '年份不能重复' }),
  default: [
    {
      year: 2024,
      populations: [
        { key: 'gas', label: '燃气生产经营单位主要负责人', role: 'principal', industryCodes: ['45'], kinds: ['燃气经营单位'] },
        { key: 'hospital', label: '二级、三级医院消防安全责任人', role: 'fire_safety', industryCodes: [], kinds: ['二级医院', '三级医院'] },
      ],
    },
    {
      year: 2025,
      populations: [
        { key: 'metal_smelting', label: '金属冶炼生产经营单位主要负责人', role: 'principal', industryCodes: ['31', '32'], kinds: [] },
        { key: 'cultural_relic', label: '重点文物保护单位消防安全责任人', role: 'fire_safety', industryCodes: [], kinds: ['重点文物保护单位'] },
      ],
    },
    { year: 2026, populations: [{ key: 'commercial_complex', label: '大型商业综合体消防安全责任人', role: 'fire_safety', industryCodes: [], kinds: ['大型商业综合体'] }] },
  ],
  defaultSource:
    '《上海市安全生产治本攻坚三年行动方案（2024—2026年）》措施9：2024年燃气生产经营单位主要负责人和二级三级医院消防安全责任人，2025年金属冶炼生产经营单位主要负责人、重点文物保护等单位消防安全责任人，2026年大型商业综合体消防安全责任人。行业大类（燃气 45，金属冶炼 31、32）与企业类别的对应为本产品的理解，请核对。',
});

const Hours = z.object({ initial: z.number().positive().max(500), yearly: z.number().positive().max(500) }).strict();
export const TRAINING_HOURS = defineRule<{ standard: Record<'principal' | 'safety_manager', z.infer<typeof Hours>>; highRisk: { industryCodes: string[] } & Record<'principal' | 'safety_manager', z.infer<typeof Hours>> }>({
  key: 'training.hours',
  title: { zh: '安全培训学时要求', en: 'Required training hours' },
  help: {
    zh: '主要负责人、安全生产管理人员的初次培训与每年再培训学时；高危行业（按行业大类列出）另行规定。',
    en: 'Initial and yearly retraining hours of principal persons and safety managers; high-risk sectors (listed by division) separately.',
  },
  schema: z.object({ standard: z.object({ principal: Hours, safety_manager: Hours }).strict(), highRisk: z.object({ industryCodes: z.array(z.string().regex(/^\d{2}$/)).max(50), principal: Hours, safety_manager: Hours }).strict() }).strict(),
  default: {
    standard: { principal: { initial: 32, yearly: 12 }, safety_manager: { initial: 32, yearly: 12 } },
    highRisk: { industryCodes: ['06', '08', '09', '10', '26', '31', '32'], principal: { initial: 48, yearly: 16 }, safety_manager: { initial: 48, yearly: 16 } },
  },
  defaultSource:
    '《生产经营单位安全培训规定》第九条：主要负责人和安全生产管理人员初次培训不少于32学时、每年再培训不少于12学时；煤矿、非煤矿山、危险化学品、烟花爆竹、金属冶炼等生产经营单位 48 / 16 学时（reference/domain-rules.md，中高可信度）。高危行业对应的 GB/T 4754 大类（06 煤炭开采、08—10 矿采选、26 化学原料和化学制品、31—32 金属冶炼）为本产品的对应，请核对。',
});
