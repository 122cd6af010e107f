import { ArrowDownOutlined, ArrowUpOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Card, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { figureFilter } from '../../../shared/contracts/dashboard';
import type { DashboardView, Figure } from '../../../shared/contracts/dashboard';
import { formatCount, formatDelta, formatPercent } from '../../format';
import { useLang, useT } from '../../i18n';

export type LedgerBase = DashboardView['base'] & { enterpriseId?: string };

/** The ledger listing exactly the hazards a figure counts. */
export function ledgerHref(figure: Figure, base: LedgerBase, month: string): string {
  return `/hazards?${new URLSearchParams(figureFilter(figure, base, month))}`;
}

/** A count that opens the ledger behind it. */
export function CountLink({ n, to, testId }: { n: number; to: string; testId?: string }) {
  const { lang } = useLang();
  return (
    <Link to={to} className="zb-count-link" data-testid={testId} data-value={n}>
      {formatCount(n, lang)}
    </Link>
  );
}

/** "—" for a figure that cannot be given, with the reason on hover (and focus). */
export function Missing({ why }: { why: string }) {
  return (
    <Tooltip title={why}>
      <span className="zb-missing" tabIndex={0} aria-label={why}>
        —
      </span>
    </Tooltip>
  );
}

export function Rate({ value, why }: { value: number | null; why: string }) {
  return value === null ? <Missing why={why} /> : <>{formatPercent(value)}</>;
}

/** Today's count against the end of last month: more open hazards is the bad direction. */
export function Change({ now, before }: { now: number; before: number }) {
  const t = useT();
  const { lang } = useLang();
  const delta = now - before;
  const tone = delta > 0 ? 'zb-change-up' : delta < 0 ? 'zb-change-down' : 'zb-change-flat';
  return (
    <span className={`zb-change ${tone}`}>
      {delta > 0 ? <ArrowUpOutlined /> : delta < 0 ? <ArrowDownOutlined /> : null}
      {t('ck.vsLastMonth', { delta: formatDelta(delta, lang) })}
    </span>
  );
}

/** A headline figure: its name, the figure (a link to the ledger for a count), and a line below. */
export function FigureCard({
  label,
  value,
  foot,
  tone,
  hint,
  testId,
}: {
  label: ReactNode;
  value: ReactNode;
  foot?: ReactNode;
  /** 'alert' for the figures that must come down to zero */
  tone?: 'alert';
  hint?: string;
  testId?: string;
}) {
  return (
    <Card size="small" className={`zb-card zb-figure${tone ? ` zb-figure-${tone}` : ''}`} data-testid={testId}>
      <div className="zb-figure-label">
        {label}
        {hint && (
          <Tooltip title={hint}>
            <InfoCircleOutlined className="zb-figure-hint" aria-label={hint} />
          </Tooltip>
        )}
      </div>
      <div className="zb-figure-value">{value}</div>
      {foot && <div className="zb-figure-foot">{foot}</div>}
    </Card>
  );
}
