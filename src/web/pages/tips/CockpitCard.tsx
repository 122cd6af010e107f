import { Col, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type { TipStats } from '../../../shared/contracts/tips';
import { api, ApiError } from '../../api';
import { ChartCard } from '../../components/ChartCard';
import { ErrorState } from '../../components/Feedback';
import { formatPercent } from '../../format';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';

/** A share of the tips' figures, or a dash where there is nothing to share. */
export const pct = (a: number, b: number) => (b ? formatPercent(a / b) : '—');

/** 举报 on a cockpit: this year's tips of the view's district (or the city), each figure opening the list with the same total. */
export function TipsCockpitCard({ districtCode }: { districtCode?: string }) {
  const t = useT();
  const now = new Date();
  const to = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const from = `${now.getFullYear()}-01`;
  const stats = useAsync((signal) => api.get<z.infer<typeof TipStats>>('/api/tips/stats', { from, to, districtCode }, signal), [from, to, districtCode]);
  if (stats.error instanceof ApiError && (stats.error.status === 403 || stats.error.status === 404)) return null;
  const s = stats.data?.totals;
  const q = (extra: Record<string, string>) => `/tips?${new URLSearchParams({ from, to, ...(districtCode ? { districtCode } : {}), ...extra }).toString()}`;
  const figures = s
    ? [
        { key: 'received', title: t('tip.st.received'), value: s.received, to: q({}), note: null },
        { key: 'accepted', title: t('tip.st.acceptedOnTime'), value: s.acceptedOnTime, to: q({ acceptedOnTime: 'true' }), note: pct(s.acceptedOnTime, s.accepted + s.declined) },
        { key: 'verified', title: t('tip.st.verifiedOnTime'), value: s.verifiedOnTime, to: q({ verifiedOnTime: 'true' }), note: pct(s.verifiedOnTime, s.verified) },
        { key: 'substantiated', title: t('tip.st.substantiated'), value: s.substantiated, to: q({ substantiated: 'true' }), note: pct(s.substantiated, s.verified) },
        { key: 'hazards', title: t('tip.st.withHazards'), value: s.withHazards, to: q({ withHazards: 'true' }), note: t('tip.st.hazardsNote', { n: s.hazards, major: s.majorHazards }) },
        { key: 'paid', title: t('tip.st.paid'), value: s.rewardsPaid, to: q({ rewardStatus: 'paid' }), note: `¥${s.rewardsPaidYuan.toLocaleString()}` },
      ]
    : [];
  return (
    <ChartCard title={t('tip.cockpit.title', { year: now.getFullYear() })} extra={<Link to="/tips?view=stats">{t('tip.cockpit.open')}</Link>} testId="cockpit-tips">
      {stats.error && !stats.loading ? (
        <ErrorState error={stats.error} onRetry={stats.reload} />
      ) : (
        <Row gutter={[12, 12]}>
          {figures.map((f) => (
            <Col key={f.key} xs={12} md={8}>
              <Statistic title={f.title} valueRender={() => (f.to ? <Link to={f.to} data-testid={`cockpit-tips-${f.key}`}>{f.value.toLocaleString()}</Link> : <span data-testid={`cockpit-tips-${f.key}`}>{f.value.toLocaleString()}</span>)} />
              {f.note && <Typography.Text type="secondary">{f.note}</Typography.Text>}
            </Col>
          ))}
        </Row>
      )}
    </ChartCard>
  );
}
