/** The assessment's configuration and periods in words, as the office reads them. */
import type { ComputableIndicator, ScoringRule, VetoRule } from '../../../shared/contracts/assessment';
import { ACCIDENT_GRADE_LABELS } from '../../../shared/contracts/accidents';
import { formatPercent } from '../../format';
import { pick } from '../../i18n';
import type { Lang, Translate } from '../../i18n';

export type Unit = ComputableIndicator['unit'];

/** 2026-10 → 2026年10月, 2026Q4 → 2026年第4季度, 2026 → 2026年度. */
export function periodLabel(t: Translate, period: string): string {
  const m = /^(\d{4})(?:-(\d{2})|Q([1-4]))?$/.exec(period);
  if (!m) return period;
  if (m[2]) return t('asm.period.month', { year: m[1], month: Number(m[2]) });
  if (m[3]) return t('asm.period.quarter', { year: m[1], quarter: m[3] });
  return t('asm.period.year', { year: m[1] });
}

export const isQuarter = (period: string) => /^\d{4}Q[1-4]$/.test(period);

/** A value as its unit reads: a rate as a percentage, a change signed, a count as it is. */
export function formatValue(value: number, unit: Unit | undefined): string {
  if (unit === 'rate') return formatPercent(value);
  if (unit === 'change') return `${value > 0 ? '+' : value < 0 ? '−' : ''}${formatPercent(Math.abs(value))}`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A scoring rule in a sentence. */
export function ruleText(t: Translate, rule: ScoringRule, unit?: Unit): string {
  switch (rule.kind) {
    case 'linear':
      return t('asm.rule.linearText', { zero: formatValue(rule.zeroAt, unit), full: formatValue(rule.fullAt, unit) });
    case 'bands':
      return [...rule.bands]
        .sort((a, b) => b.from - a.from)
        .map((b) => t('asm.rule.bandText', { from: formatValue(b.from, unit), share: formatPercent(b.share) }))
        .concat(t('asm.rule.bandElse'))
        .join('；');
    case 'deduction':
      return t('asm.rule.deductionText', { n: rule.perItem });
  }
}

/** A veto (一票否优) in a sentence: its condition and the grade it caps at. */
export function vetoText(t: Translate, lang: Lang, v: VetoRule): string {
  switch (v.kind) {
    case 'accident_at_least':
      return t('asm.veto.accidentText', { grade: pick(lang, ACCIDENT_GRADE_LABELS[v.grade]), cap: v.cap });
    case 'concealed_accident':
      return t('asm.veto.concealedText', { cap: v.cap });
    case 'overdue_major_above':
      return t('asm.veto.overdueText', { n: v.count, cap: v.cap });
  }
}
