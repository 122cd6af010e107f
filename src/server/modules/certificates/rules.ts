/**
 * 持证上岗 (#20): the special operations an enterprise may declare (the national catalogue, as a
 * versioned rule to verify and extend locally) and how long before expiry the enterprise is told.
 */
import { z } from 'zod';
import { defineRule } from '../../rules/rules';

const Operation = z.object({ code: z.string().regex(/^[a-z_]{2,40}$/), name: z.string().min(2).max(50) }).strict();

export const SPECIAL_OPERATIONS = defineRule<{ code: string; name: string }[]>({
  key: 'certificates.special_operations',
  title: { zh: '特种作业类别', en: 'Special operation categories' },
  help: {
    zh: '企业可申报的特种作业类别（编码、名称）；持特种作业操作证的人员按类别登记。已登记证书使用的编码请勿删除。',
    en: 'The special operations an enterprise may declare (code, name); certificates are recorded by category. Do not remove a code certificates use.',
  },
  schema: z
    .array(Operation)
    .min(1)
    .max(100)
    .refine((ops) => new Set(ops.map((o) => o.code)).size === ops.length, { message: '编码不能重复' }),
  default: [
    { code: 'electrical', name: '电工作业' },
    { code: 'welding', name: '焊接与热切割作业' },
    { code: 'work_at_height', name: '高处作业' },
    { code: 'refrigeration', name: '制冷与空调作业' },
    { code: 'coal_mine', name: '煤矿安全作业' },
    { code: 'metal_mine', name: '金属非金属矿山安全作业' },
    { code: 'oil_gas', name: '石油天然气安全作业' },
    { code: 'metallurgy', name: '冶金（有色）生产安全作业' },
    { code: 'hazardous_chemicals', name: '危险化学品安全作业' },
    { code: 'fireworks', name: '烟花爆竹安全作业' },
    { code: 'other', name: '应急管理部门认定的其他作业' },
  ],
  defaultSource: '《特种作业人员安全技术培训考核管理规定》（原国家安全监管总局令第30号）附件《特种作业目录》的十一个类别（大类名称；未收入我们的参考资料，请核对并按需细分到作业小类）。',
});

export const CERTIFICATE_WATCH = defineRule<{ expiryWarningDays: number }>({
  key: 'certificates.watch',
  title: { zh: '证书到期提醒', en: 'Certificate expiry warning' },
  help: { zh: '证书到期前多少天提醒企业。', en: 'How many days before expiry the enterprise is told.' },
  schema: z.object({ expiryWarningDays: z.number().int().min(1).max(366) }).strict(),
  default: { expiryWarningDays: 60 },
  defaultSource: '#20：到期前 60 天提醒企业（产品默认，可调整）。',
});

/** 安全生产标准化 certificates are valid three years; re-review is applied for within the last three months (reference/domain-rules.md, C12). */
export const STANDARDIZATION_VALID_YEARS = 3;
export const STANDARDIZATION_REVIEW_MONTHS = 3;
