/** What the scheme's page and its editor both show. */
import { useT } from '../../i18n';

export const schemeUrl = (year: number) => `/api/assessment/schemes/${year}`;

/** The weights' total, green at 100 and red otherwise. */
export function WeightSum({ sum }: { sum: number }) {
  const t = useT();
  const ok = Math.abs(sum - 100) < 0.005;
  return (
    <span className={ok ? 'zb-asm-weight-ok' : 'zb-asm-weight-off'} data-testid="asm-weight-sum">
      {t('asm.scheme.weightSum', { n: Math.round(sum * 100) / 100 })}
    </span>
  );
}
