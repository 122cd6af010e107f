import { Badge, Button, Card, Col, Empty, Flex, Row as Grid, Spin, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { Round } from '../../../shared/contracts/checklists';
import type { Hazard } from '../../../shared/contracts/hazards';
import { shanghaiDate } from '../../../shared/dates';
import { periodOf } from '../../../shared/periods';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime } from '../../format';
import { useAsync } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { GradeTag, OverdueTag, StatusTag } from '../hazards/HazardTags';
import { periodText, RoundStatusTag } from './tags';

interface Notice {
  id: string;
  title: string;
  link: string | null;
  needsAction: boolean;
  createdAt: string;
  readAt: string | null;
}

/** Today in Shanghai and the Sunday that ends this week. */
function thisWeek(): { today: string; sunday: string } {
  const today = shanghaiDate(new Date());
  return { today, sunday: periodOf('weekly', today).due };
}

/** 企业工作台: rounds due today and this week, overdue rounds, open hazards with their deadlines, and notifications, on one page. */
export default function EnterpriseHome() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const navigate = useNavigate();
  const { today, sunday } = thisWeek();
  const due = useAsync((signal) => api.get<ListResult<Round>>('/api/selfchecks', { status: 'due', to: sunday, pageSize: 50 }, signal), [sunday]);
  const overdue = useAsync((signal) => api.get<ListResult<Round>>('/api/selfchecks', { status: 'overdue', pageSize: 50 }, signal), []);
  const hazards = useAsync((signal) => api.get<ListResult<Hazard>>('/api/hazards', { status: 'reported,rectifying,pending_acceptance', sort: 'deadline', pageSize: 10 }, signal), []);
  const notices = useAsync((signal) => api.get<ListResult<Notice>>('/api/notifications', { pageSize: 8 }, signal), []);

  const roundItem = (r: Round) => (
    <Row key={r.id} title={r.checklistTitle} testId="home-round"
      description={
        <span>
          {periodText(r.period, lang)} · {t('sc.col.due')} {formatDate(r.dueDate)} {r.dueDate === today && r.status === 'due' && <Tag color="orange">{t('sc.home.today')}</Tag>} <RoundStatusTag status={r.status} />
        </span>
      }
      action={
        <Button type={r.status === 'done' ? 'default' : 'primary'} size="small" onClick={() => navigate(`/selfchecks/${r.id}`)} data-testid="home-round-open">
          {r.status === 'done' ? t('sc.view') : t('sc.open')}
        </Button>
      }
    />
  );

  return (
    <div className="zb-page">
      <PageHeader title={me.enterpriseName ?? t('sc.home.title')} subTitle={t('sc.home.title')} />
      <Grid gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card className="zb-card" size="small" title={t('sc.home.dueWeek')} extra={<Link to="/selfchecks">{t('sc.home.allRounds')}</Link>} data-testid="home-due">
            {due.error && !due.loading ? (
              <ErrorState error={due.error} onRetry={due.reload} />
            ) : (
              <Items loading={due.loading} items={due.data?.items} render={roundItem} empty={t('sc.home.noneDue')} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card className="zb-card" size="small" title={<Badge count={overdue.data?.total ?? 0} offset={[12, 0]}>{t('sc.home.overdue')}</Badge>} data-testid="home-overdue">
            {overdue.error && !overdue.loading ? (
              <ErrorState error={overdue.error} onRetry={overdue.reload} />
            ) : (
              <Items loading={overdue.loading} items={overdue.data?.items} render={roundItem} empty={t('sc.home.noneOverdue')} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card className="zb-card" size="small" title={t('sc.home.openHazards')} extra={<Link to="/hazards">{t('sc.home.ledger')}</Link>} data-testid="home-hazards">
            {hazards.error && !hazards.loading ? (
              <ErrorState error={hazards.error} onRetry={hazards.reload} />
            ) : (
              <Items
                loading={hazards.loading}
                items={hazards.data?.items}
                empty={t('sc.home.noOpen')}
                render={(h) => (
                  <Row
                    key={h.id}
                    testId="home-hazard"
                    title={<Link to={`/hazards/${h.id}`}>{h.description}</Link>}
                    description={
                      <span className="zb-tags">
                        {h.code} <GradeTag value={h.grade} /> <StatusTag value={h.status} /> <OverdueTag overdue={h.overdue} /> {h.deadline ? t('sc.home.deadline', { date: formatDate(h.deadline) }) : t('sc.home.noDeadline')}
                      </span>
                    }
                  />
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card className="zb-card" size="small" title={t('sc.home.notices')} data-testid="home-notices">
            {notices.error && !notices.loading ? (
              <ErrorState error={notices.error} onRetry={notices.reload} />
            ) : (
              <Items
                loading={notices.loading}
                items={notices.data?.items}
                empty={t('sc.home.noNotices')}
                render={(n) => <Row key={n.id} title={n.link ? <Link to={n.link}>{n.title}</Link> : n.title} description={<Typography.Text type="secondary">{formatDateTime(n.createdAt)}</Typography.Text>} />}
              />
            )}
          </Card>
        </Col>
      </Grid>
    </div>
  );
}

/** One line of a card: what, below it the details, on the right what to do. */
function Row({ title, description, action, testId }: { title: ReactNode; description: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <Flex className="zb-home-row" justify="space-between" align="center" gap={8} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }} data-testid={testId}>
      <div style={{ minWidth: 0 }}>
        <div>{title}</div>
        <Typography.Text type="secondary">{description}</Typography.Text>
      </div>
      {action}
    </Flex>
  );
}

function Items<T>({ loading, items, render, empty }: { loading: boolean; items: T[] | undefined; render: (item: T) => ReactNode; empty: string }) {
  if (!items) return loading ? <Spin /> : null;
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return <div>{items.map(render)}</div>;
}
