import { Alert, Button, Card, Empty, Segmented, Select, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { Round, SelfCheckStats, Signal } from '../../../shared/contracts/checklists';
import { SOURCE_LABELS } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, formatPercent } from '../../format';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { PlansView } from './PlansView';
import { periodText, RoundStatusTag } from './tags';

type View = 'rounds' | 'stats' | 'signals' | 'plans';
const STATUSES = ['', 'due', 'overdue', 'done'] as const;
const GROUPS = ['district', 'street', 'industry', 'month'] as const;

/** 企业自查: the rounds in the caller's scope; for officers also the figures and the signals list. */
export default function SelfCheckPage() {
  const t = useT();
  const me = useMe();
  const { params, set, setParams } = useUrlParams();
  const officer = me.role !== 'enterprise';
  // An enterprise has its rounds and its own checklists and schedules; officers also the figures and signals.
  const view = params.get('view') as View | null;
  return (
    <div className="zb-page">
      <PageHeader title={t('sc.title')} />
      <Segmented<View>
          style={{ marginBottom: 16 }}
          value={view ?? 'rounds'}
          onChange={(v) => set({ view: v === 'rounds' ? null : v, page: null })}
          options={[
            { value: 'rounds', label: t('sc.viewRounds') },
            ...(officer
              ? [
                  { value: 'stats' as const, label: t('sc.viewStats') },
                  { value: 'signals' as const, label: t('sc.viewSignals') },
                ]
              : []),
            { value: 'plans', label: t('sc.viewPlans') },
          ]}
          data-testid="sc-view"
        />
      {view === 'plans' ? <PlansView /> : officer && view === 'stats' ? <StatsView params={params} set={set} /> : officer && view === 'signals' ? <SignalsView params={params} set={set} /> : <RoundsView params={params} set={set} />}
    </div>
  );
}

interface ViewProps {
  params: URLSearchParams;
  set: (patch: Record<string, string | null>) => void;
}

function RoundsView({ params, set }: ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? 1);
  // Filters a cockpit figure or a notice may carry: the enterprise, the district, the due dates.
  const enterpriseId = params.get('enterpriseId') ?? undefined;
  const districtCode = params.get('districtCode') ?? undefined;
  const departmentId = params.get('departmentId') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const list = useAsync(
    (signal) => api.get<ListResult<Round>>('/api/selfchecks', { status: status || undefined, page, pageSize: 20, enterpriseId, districtCode, departmentId, from, to }, signal),
    [status, page, enterpriseId, districtCode, departmentId, from, to],
  );
  const columns = useMemo<TableColumnsType<Round>>(
    () => [
      { key: 'enterprise', title: t('sc.col.enterprise'), render: (_, r) => <Link to={`/selfchecks/${r.id}`}>{r.enterpriseName}</Link> },
      { key: 'checklist', title: t('sc.col.checklist'), dataIndex: 'checklistTitle' },
      { key: 'period', title: t('sc.col.period'), render: (_, r) => periodText(r.period, lang) },
      { key: 'due', title: t('sc.col.due'), render: (_, r) => formatDate(r.dueDate) },
      { key: 'status', title: t('sc.col.status'), render: (_, r) => <RoundStatusTag status={r.status} /> },
      { key: 'submitted', title: t('sc.col.submitted'), render: (_, r) => formatDateTime(r.submittedAt) },
    ],
    [t, lang],
  );
  return (
    <Card
      className="zb-card"
      size="small"
      extra={
        (from || to || districtCode || departmentId || enterpriseId) && (
          <Button size="small" onClick={() => set({ from: null, to: null, districtCode: null, departmentId: null, enterpriseId: null, page: null })} data-testid="sc-clear-filters">
            {t('sc.clearFilters')}
          </Button>
        )
      }
      title={from || to ? `${t('sc.col.due')} ${from ?? ''} — ${to ?? ''}` : undefined}
    >
      <Tabs
        activeKey={status}
        onChange={(k) => set({ status: k || null, page: null })}
        items={STATUSES.map((s) => ({ key: s, label: s ? t(`sc.status.${s}`) : t('sc.all') }))}
        data-testid="sc-status-tabs"
      />
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<Round>
          rowKey="id"
          size="small"
          columns={phone ? columns.filter((c) => ['enterprise', 'due', 'status'].includes(String(c.key))) : columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ onClick: () => navigate(`/selfchecks/${r.id}`), className: 'zb-clickable-row' })}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sc.none')} /> }}
          data-testid="sc-round-table"
        />
      )}
    </Card>
  );
}

type Row = SelfCheckStats['rows'][number];

function StatsView({ params, set }: ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const groupBy = (params.get('groupBy') as (typeof GROUPS)[number] | null) ?? 'district';
  const stats = useAsync((signal) => api.get<SelfCheckStats>('/api/selfchecks/stats', { groupBy }, signal), [groupBy]);
  const n = (k: keyof Row) => ({ key: k, title: t(`sc.f.${k}` as 'sc.f.rounds'), align: 'right' as const, render: (_: unknown, r: Row) => String(r[k] ?? '') });
  const columns: TableColumnsType<Row> = [
    { key: 'name', title: t('sc.f.name'), dataIndex: 'name' },
    n('enterprises'),
    n('rounds'),
    n('onTime'),
    n('late'),
    n('overdue'),
    n('pending'),
    { key: 'share', title: t('sc.f.share'), align: 'right', render: (_, r) => (r.findingsShare === null ? '—' : formatPercent(r.findingsShare)) },
    n('hazards'),
  ];
  if (stats.error && !stats.loading) return <ErrorState error={stats.error} onRetry={stats.reload} />;
  const total = stats.data?.total;
  // Of the rounds due by now (not those still running), the share done on time.
  const dueByNow = total ? total.rounds - total.pending : 0;
  const coverage = total && dueByNow > 0 ? total.onTime / dueByNow : null;
  return (
    <Card
      className="zb-card"
      size="small"
      title={stats.data ? `${formatDate(stats.data.from)} — ${formatDate(stats.data.to)}` : ' '}
      extra={
        <Select
          value={groupBy}
          onChange={(v) => set({ groupBy: v === 'district' ? null : v })}
          options={GROUPS.map((g) => ({ value: g, label: t(`sc.group.${g}`) }))}
          style={{ width: 120 }}
          aria-label={t('sc.groupBy')}
          data-testid="sc-group"
        />
      }
    >
      {total && (
        <div className="zb-stat-row" style={{ display: 'flex', gap: 32, flexWrap: 'wrap', marginBottom: 16 }}>
          <Statistic title={t('sc.f.enterprises')} value={total.enterprises} />
          <Statistic title={t('sc.f.rounds')} value={total.rounds} />
          <span data-testid="sc-total-ontime">
            <Statistic title={t('sc.f.onTime')} value={total.onTime} />
          </span>
          <Statistic title={t('sc.f.overdue')} value={total.overdue} styles={{ content: total.overdue ? { color: '#cf1322' } : undefined }} />
          <span data-testid="sc-total-coverage">
            <Statistic title={t('sc.f.coverage')} value={coverage === null ? '—' : formatPercent(coverage)} />
          </span>
          <Statistic title={t('sc.f.hazards')} value={total.hazards} />
        </div>
      )}
      <Table<Row>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={stats.data?.rows ?? []}
        loading={stats.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="sc-stats-table"
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sc.none')} /> }}
      />
      {stats.data && stats.data.hazardsBySource.length > 0 && (
        <div style={{ marginTop: 16 }}>
          <Typography.Text strong>{t('sc.bySource')}：</Typography.Text>
          {stats.data.hazardsBySource.map((s) => (
            <Tag key={s.source} color={s.source === 'self_check' ? 'blue' : undefined}>
              {pick(lang, SOURCE_LABELS[s.source])} {s.found}
            </Tag>
          ))}
        </div>
      )}
    </Card>
  );
}

function SignalsView({ params, set }: ViewProps) {
  const t = useT();
  const { lang } = useLang();
  const page = Number(params.get('page') ?? 1);
  const list = useAsync((signal) => api.get<ListResult<Signal>>('/api/selfchecks/signals', { page, pageSize: 20 }, signal), [page]);
  const columns: TableColumnsType<Signal> = [
    { key: 'enterprise', title: t('sc.col.enterprise'), dataIndex: 'enterpriseName' },
    { key: 'round', title: t('sc.signal.round'), render: (_, s) => <Link to={`/selfchecks/${s.roundId}`}>{`${periodText(s.period, lang)}（${formatDate(s.submittedAt)} ${t('sc.zero')}）`}</Link> },
    {
      key: 'hazard',
      title: t('sc.signal.hazard'),
      render: (_, s) => (
        <span>
          <Link to={`/hazards/${s.hazardId}`}>{s.hazardCode}</Link> <Tag>{pick(lang, SOURCE_LABELS[s.hazardSource])}</Tag> {formatDate(s.hazardFoundAt)} {s.hazardDescription}
        </span>
      ),
    },
  ];
  if (list.error && !list.loading) return <ErrorState error={list.error} onRetry={list.reload} />;
  return (
    <Card className="zb-card" size="small">
      <Alert type="warning" showIcon title={t('sc.signal.hint')} style={{ marginBottom: 12 }} />
      <Table<Signal>
        rowKey={(s) => `${s.roundId}|${s.hazardId}`}
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sc.signal.none')} /> }}
        data-testid="sc-signal-table"
      />
    </Card>
  );
}
