import { Col, Row, Statistic, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Compliance, PlanTask, TaskStatus } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ChartCard } from '../../components/ChartCard';
import { ErrorState } from '../../components/Feedback';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { hasPlan } from './access';
import { STATUS_HEX, TaskStatusTag } from './shared';

// The late first: what a cockpit is read for.
const SHOWN: readonly TaskStatus[] = ['late', 'at_risk', 'on_track', 'not_started', 'done'];

/** 治本攻坚任务 on a cockpit: the tasks of the view's district (or the city's) by status, each count opening the plan likewise; for the city, the leaders' meeting quarters missed this year. */
export function PlanCockpitCard({ districtCode }: { districtCode?: string }) {
  const me = useMe();
  return hasPlan(me) ? <PlanFigures districtCode={districtCode} /> : null;
}

function PlanFigures({ districtCode }: { districtCode?: string }) {
  const t = useT();
  const year = Number(shanghaiDate(new Date()).slice(0, 4));
  // One cheap request a figure: the total of a one-row page.
  const totals = useAsync(
    (signal) => Promise.all([undefined, ...SHOWN].map((status) => api.get<ListResult<PlanTask>>('/api/plan-tasks', { status, districtCode, pageSize: 1 }, signal).then((r) => r.total))),
    [districtCode],
  );
  const missed = useAsync(async (signal) => (districtCode ? null : (await api.get<Compliance>('/api/meetings/compliance', { year }, signal)).missed), [districtCode, year]);
  const planHref = (status?: TaskStatus) => `/plan?${new URLSearchParams({ ...(districtCode ? { districtCode } : {}), ...(status ? { status } : {}) }).toString()}`;
  const [all, ...byStatus] = totals.data ?? [];
  const figure = (key: string, title: ReactNode, n: number | undefined, to: string, color?: string) => (
    <Col key={key} xs={12} md={8}>
      <Statistic
        title={title}
        loading={n === undefined}
        valueRender={() => (
          <Link to={to} style={color ? { color } : undefined} data-testid={`cockpit-plan-${key}`}>
            {(n ?? 0).toLocaleString()}
          </Link>
        )}
      />
    </Col>
  );
  return (
    <ChartCard title={t('plan.cockpit.title')} extra={<Link to={planHref()}>{t('plan.cockpit.open')}</Link>} testId="cockpit-plan">
      {totals.error && !totals.loading ? (
        <ErrorState error={totals.error} onRetry={totals.reload} />
      ) : (
        <Row gutter={[12, 16]}>
          {figure('all', t('plan.cockpit.all'), all, planHref())}
          {SHOWN.map((s, i) => figure(s, <TaskStatusTag status={s} />, byStatus[i], planHref(s), s === 'late' && byStatus[i] ? STATUS_HEX.late : undefined))}
          {missed.data !== null && missed.data !== undefined && (
            <Col xs={24} md={16}>
              <Statistic
                title={t('plan.cockpit.missed', { year })}
                valueRender={() => (
                  <Link to="/plan/meetings" style={missed.data ? { color: STATUS_HEX.late } : undefined} data-testid="cockpit-plan-missed">
                    {missed.data!.toLocaleString()}
                  </Link>
                )}
                suffix={<Typography.Text type="secondary">{t('plan.cockpit.missedUnit')}</Typography.Text>}
              />
            </Col>
          )}
        </Row>
      )}
    </ChartCard>
  );
}
