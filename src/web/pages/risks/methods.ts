/**
 * The assessment methods' inputs as a form offers them: LEC's classic value tables (作业条件危险性分析法)
 * as choices — the server takes any positive number — and the 1–5 scales of LS and the matrix.
 * The level is never computed here: the server bands the score under the thresholds in force.
 */
import type { RiskMethod } from '../../../shared/contracts/risks';
import type { Lang } from '../../i18n';

type Words = { zh: string; en: string };
export interface InputField {
  key: string;
  /** the factor's letter, or its name where it has none */
  short: Words;
  label: Words;
  /** the classic table's values with their meaning, or none for a 1–5 scale */
  choices?: { value: number; label: Words }[];
}

const SCALE: Words = { zh: '1—5', en: '1–5' };

export const METHOD_INPUTS: Record<RiskMethod, InputField[]> = {
  lec: [
    {
      key: 'l',
      short: { zh: 'L', en: 'L' },
      label: { zh: 'L 事故可能性', en: 'L likelihood' },
      choices: [
        { value: 10, label: { zh: '完全可以预料', en: 'Fully expected' } },
        { value: 6, label: { zh: '相当可能', en: 'Quite possible' } },
        { value: 3, label: { zh: '可能，但不经常', en: 'Possible, not frequent' } },
        { value: 1, label: { zh: '可能性小，完全意外', en: 'Unlikely, a pure accident' } },
        { value: 0.5, label: { zh: '很不可能，可以设想', en: 'Very unlikely, conceivable' } },
        { value: 0.2, label: { zh: '极不可能', en: 'Extremely unlikely' } },
        { value: 0.1, label: { zh: '实际不可能', en: 'Practically impossible' } },
      ],
    },
    {
      key: 'e',
      short: { zh: 'E', en: 'E' },
      label: { zh: 'E 暴露频繁程度', en: 'E exposure' },
      choices: [
        { value: 10, label: { zh: '连续暴露', en: 'Continuous' } },
        { value: 6, label: { zh: '每天工作时间内暴露', en: 'Daily, in working hours' } },
        { value: 3, label: { zh: '每周一次或偶然暴露', en: 'Weekly or occasionally' } },
        { value: 2, label: { zh: '每月一次暴露', en: 'Monthly' } },
        { value: 1, label: { zh: '每年几次暴露', en: 'A few times a year' } },
        { value: 0.5, label: { zh: '非常罕见地暴露', en: 'Very rarely' } },
      ],
    },
    {
      key: 'c',
      short: { zh: 'C', en: 'C' },
      label: { zh: 'C 后果严重程度', en: 'C consequence' },
      choices: [
        { value: 100, label: { zh: '大灾难，许多人死亡', en: 'Catastrophe, many deaths' } },
        { value: 40, label: { zh: '灾难，数人死亡', en: 'Disaster, several deaths' } },
        { value: 15, label: { zh: '非常严重，一人死亡', en: 'Very serious, one death' } },
        { value: 7, label: { zh: '严重，重伤', en: 'Serious, severe injury' } },
        { value: 3, label: { zh: '重大，致残', en: 'Considerable, disability' } },
        { value: 1, label: { zh: '引人注目，需要救护', en: 'Noticeable, first aid' } },
      ],
    },
  ],
  ls: [
    { key: 'l', short: { zh: 'L', en: 'L' }, label: { zh: `L 可能性（${SCALE.zh}）`, en: `L likelihood (${SCALE.en})` } },
    { key: 's', short: { zh: 'S', en: 'S' }, label: { zh: `S 严重性（${SCALE.zh}）`, en: `S severity (${SCALE.en})` } },
  ],
  matrix: [
    { key: 'likelihood', short: { zh: '可能性', en: 'Likelihood' }, label: { zh: `可能性（${SCALE.zh}）`, en: `Likelihood (${SCALE.en})` } },
    { key: 'severity', short: { zh: '严重性', en: 'Severity' }, label: { zh: `严重性（${SCALE.zh}）`, en: `Severity (${SCALE.en})` } },
  ],
};

/** The score the server will compute (D = L × E × C, R = L × S, the matrix's cell L × S), or null while an input is missing. */
export function previewScore(method: RiskMethod, inputs: Record<string, unknown> | undefined): number | null {
  const values = METHOD_INPUTS[method].map((f) => inputs?.[f.key]);
  if (!values.every((v): v is number => typeof v === 'number' && v > 0)) return null;
  return Math.round(values.reduce((p, v) => p * v, 1) * 1000) / 1000;
}

/** The inputs in a line: `L = 6 · E = 6 · C = 15`. */
export function inputsText(lang: Lang, method: RiskMethod, inputs: Record<string, number>): string {
  return METHOD_INPUTS[method].map((f) => `${f.short[lang]} = ${inputs[f.key] ?? '—'}`).join(' · ');
}

/** Risk types the register names most (the form offers them; any other may be typed). */
export const RISK_TYPES = ['火灾', '燃气', '危险化学品', '人员密集', '建设施工', '特种设备', '有限空间', '交通运输', '厂房仓库', '水上交通'];
