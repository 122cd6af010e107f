/**
 * 风险评估方法 (#20): each method computes a score from its inputs and the level from the score under
 * thresholds kept as a versioned rule — LEC's shipped bands are the issue's (D ≥ 320 red, 160–320
 * orange, 70–160 yellow, below 70 blue; reference/domain-rules.md: an enterprise rule, to verify); the
 * LS bands and the matrix are labelled examples, editable. Pure: the registry calls it on every write.
 */
import { z } from 'zod';
import { INPUTS_BY_METHOD, RISK_LEVEL_LABELS, RISK_LEVELS, type RiskLevel, type RiskMethod } from '../../../shared/contracts/risks';
import type { FieldError } from '../../errors/app-error';
import { defineRule } from '../../rules/rules';

const Bands = z
  .object({ red: z.number().positive(), orange: z.number().positive(), yellow: z.number().positive() })
  .strict()
  .refine((b) => b.red > b.orange && b.orange > b.yellow, { message: '阈值须满足 红 > 橙 > 黄 > 0' });
type Bands = z.infer<typeof Bands>;
const Level = z.enum(RISK_LEVELS);
const Row = z.array(Level).length(5);

export const RISK_METHOD_RULE = defineRule<{ lec: Bands; ls: Bands; matrix: RiskLevel[][] }>({
  key: 'risks.methods',
  title: { zh: '风险评估方法与分级阈值', en: 'Risk assessment methods and level thresholds' },
  help: {
    zh: 'lec：D = L×E×C，D ≥ red 为重大（红），≥ orange 为较大（橙），≥ yellow 为一般（黄），其余为低（蓝）。ls：R = L×S（各 1—5），分级同上。matrix：5×5 表，行为可能性 1—5，列为严重性 1—5，每格一个等级。',
    en: 'lec: D = L×E×C; D ≥ red is red, ≥ orange orange, ≥ yellow yellow, else blue. ls: R = L×S (1–5 each), banded the same way. matrix: a 5×5 table, rows likelihood 1–5, columns severity 1–5, one level per cell.',
  },
  schema: z.object({ lec: Bands, ls: Bands, matrix: z.array(Row).length(5) }).strict(),
  default: {
    lec: { red: 320, orange: 160, yellow: 70 },
    ls: { red: 20, orange: 15, yellow: 9 },
    // Filled from L × S with the LS bands above, so the two agree until a cell is changed.
    matrix: [1, 2, 3, 4, 5].map((l) => [1, 2, 3, 4, 5].map((s) => band(l * s, { red: 20, orange: 15, yellow: 9 }))),
  },
  defaultSource:
    'LEC：D ≥ 320 红、160—320 橙、70—160 黄、< 70 蓝（经典作业条件危险性分析法的分档；四色映射见 reference/domain-rules.md，为企业规则，待核实）。LS 分档（≥20 红、≥15 橙、≥9 黄）与风险矩阵为示例，未找到上海官方取值，请按本地规定修改。',
});
export type MethodRule = (typeof RISK_METHOD_RULE)['default'];

function band(score: number, b: Bands): RiskLevel {
  return score >= b.red ? 'red' : score >= b.orange ? 'orange' : score >= b.yellow ? 'yellow' : 'blue';
}

export interface Assessed {
  inputs: Record<string, number>;
  score: number;
  level: RiskLevel;
  reason: string;
  reasonEn: string;
}

const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

function bandReason(score: number, b: Bands, level: RiskLevel, en = false): string {
  const and = en ? 'and' : '且';
  const range = level === 'red' ? `≥ ${fmt(b.red)}` : level === 'orange' ? `≥ ${fmt(b.orange)} ${and} < ${fmt(b.red)}` : level === 'yellow' ? `≥ ${fmt(b.yellow)} ${and} < ${fmt(b.orange)}` : `< ${fmt(b.yellow)}`;
  return en ? `${range}: ${RISK_LEVEL_LABELS[level].en}` : `${range}：${RISK_LEVEL_LABELS[level].zh}`;
}

/** The inputs checked against the method's shape; the errors name `inputs.<field>`. */
export function checkInputs(method: RiskMethod, inputs: unknown): { ok: true; inputs: Record<string, number> } | { ok: false; errors: FieldError[] } {
  const parsed = INPUTS_BY_METHOD[method].safeParse(inputs);
  if (parsed.success) return { ok: true, inputs: parsed.data as Record<string, number> };
  return { ok: false, errors: parsed.error.issues.map((i) => ({ path: ['inputs', ...i.path.map(String)].join('.'), code: i.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid', message: i.code === 'unrecognized_keys' ? `${method.toUpperCase()} 法的输入不含此项` : i.message })) };
}

/** Score and level of checked inputs under the rule. */
export function assess(method: RiskMethod, inputs: Record<string, number>, rule: MethodRule): Assessed {
  switch (method) {
    case 'lec': {
      const score = inputs.l * inputs.e * inputs.c;
      const level = band(score, rule.lec);
      const d = `D = ${fmt(inputs.l)} × ${fmt(inputs.e)} × ${fmt(inputs.c)} = ${fmt(score)}`;
      return { inputs, score, level, reason: `${d}，${bandReason(score, rule.lec, level)}`, reasonEn: `${d}, ${bandReason(score, rule.lec, level, true)}` };
    }
    case 'ls': {
      const score = inputs.l * inputs.s;
      const level = band(score, rule.ls);
      const r = `R = ${inputs.l} × ${inputs.s} = ${score}`;
      return { inputs, score, level, reason: `${r}，${bandReason(score, rule.ls, level)}`, reasonEn: `${r}, ${bandReason(score, rule.ls, level, true)}` };
    }
    case 'matrix': {
      const level = rule.matrix[inputs.likelihood - 1][inputs.severity - 1];
      return { inputs, score: inputs.likelihood * inputs.severity, level, reason: `风险矩阵 可能性 ${inputs.likelihood} × 严重性 ${inputs.severity}：${RISK_LEVEL_LABELS[level].zh}`, reasonEn: `Risk matrix, likelihood ${inputs.likelihood} × severity ${inputs.severity}: ${RISK_LEVEL_LABELS[level].en}` };
    }
  }
}
