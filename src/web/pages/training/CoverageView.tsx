import { TeamOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Modal, Progress, Row, Select, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { formatPercent } from '../../format';
import { useAsync, useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { planYears, thisYear } from './model';
import type { CoverageData, Population, UntrainedList } from './model';

type DistrictRow = Population['byDistrict'][number];

/** The year chosen on a training tab (this year unless the address says otherwise). */
export function useYear(): [number, (y: number) => void] {
  const { params, set } = useUrlParams();
  const asked = Number(params.get('year'));
  return [planYears().includes(asked) ? asked : thisYear(), (y) => set({ year: y === thisYear() ? null : String(y), page: null })];
}

export function YearPicker({ value, onChange }: { value: number; onChange: (y: number) => void }) {
  const t = useT();
  return <Select value={value} onChange={onChange} options={planYears().map((y) => ({ value: y, label: t('train.year', { year: y }) }))} style={{ width: 120 }} data-testid="training-year" />;
}

/** 覆盖情况: each focus population of the year with its target, trained and not yet, per district. */
export function CoverageView() {
  const t = useT();
  const [year, setYear] = useYear();
  const [listing, setListing] = useState<Population | null>(null);
  const coverage = useAsync((signal) => api.get<CoverageData>('/api/training/coverage', { year }, signal), [year]);
  const c = coverage.data;
  return (
    <Flex vertical gap={16}>
      <Flex gap={12} align="center" wrap>
        <YearPicker value={year} onChange={setYear} />
        {c && (
          <Typography.Text type="secondary" style={{ flex: '1 1 300px' }}>
            {t('train.cov.source')}
            {c.source}
          </Typography.Text>
        )}
      </Flex>
      {coverage.error && !coverage.loading ? (
        <ErrorState error={coverage.error} onRetry={coverage.reload} />
      ) : !c ? (
        <BlockLoading />
      ) : c.populations.length === 0 ? (
        <Card className="zb-card">
          <Empty description={t('train.cov.none')} />
        </Card>
      ) : (
        c.populations.map((p) => <PopulationCard key={p.key} population={p} onList={() => setListing(p)} />)
      )}
      {listing && <UntrainedModal year={year} population={listing} onClose={() => setListing(null)} />}
    </Flex>
  );
}

function PopulationCard({ population: p, onList }: { population: Population; onList: () => void }) {
  const t = useT();
  const columns: TableColumnsType<DistrictRow> = [
    { key: 'district', title: t('train.cov.district'), dataIndex: 'districtName' },
    { key: 'target', title: t('train.cov.target'), dataIndex: 'target', align: 'right' },
    { key: 'trained', title: t('train.cov.trained'), dataIndex: 'trained', align: 'right' },
    { key: 'notYet', title: t('train.cov.notYet'), dataIndex: 'notYet', align: 'right', render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
    {
      key: 'rate',
      title: t('train.cov.rate'),
      render: (_, d) => (
        <div style={{ minWidth: 120 }}>
          <Progress size="small" percent={d.target ? Math.round((d.trained / d.target) * 100) : 0} />
        </div>
      ),
    },
  ];
  return (
    <Card
      className="zb-card"
      size="small"
      title={p.label}
      data-testid="training-population"
      data-key={p.key}
      extra={
        <Button size="small" icon={<TeamOutlined />} disabled={p.notYet === 0} onClick={onList} data-testid="training-untrained">
          {t('train.cov.untrained')}
        </Button>
      }
    >
      <Row gutter={[16, 16]} align="middle" style={{ marginBottom: 12 }}>
        <Col xs={12} md={5}>
          <Statistic title={t('train.cov.target')} value={p.target} />
        </Col>
        <Col xs={12} md={5}>
          <Statistic title={t('train.cov.trained')} value={p.trained} styles={{ content: { color: '#389e0d' } }} data-testid="training-trained" />
        </Col>
        <Col xs={12} md={5}>
          <Statistic title={t('train.cov.notYet')} value={p.notYet} styles={p.notYet ? { content: { color: '#cf1322' } } : undefined} />
        </Col>
        <Col xs={12} md={9}>
          <Typography.Text type="secondary">{t('train.cov.rate')}</Typography.Text>
          <Progress percent={p.rate === null ? 0 : Math.round(p.rate * 100)} format={() => (p.rate === null ? '—' : formatPercent(p.rate))} />
        </Col>
      </Row>
      <Table<DistrictRow> rowKey="districtCode" size="small" columns={columns} dataSource={p.byDistrict} pagination={false} scroll={{ x: 'max-content' }} />
    </Card>
  );
}

/** 未培训名单: the population's enterprises with nobody of the role trained that year. */
function UntrainedModal({ year, population, onClose }: { year: number; population: Population; onClose: () => void }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useAsync((signal) => api.get<UntrainedList>('/api/training/untrained', { year, population: population.key, page, pageSize: 10 }, signal), [year, population.key, page]);
  const columns: TableColumnsType<UntrainedList['items'][number]> = [
    { key: 'name', title: t('train.hours.enterprise'), render: (_, e) => <Link to={`/enterprises/${e.id}`}>{e.name}</Link> },
    { key: 'principal', title: t('train.cov.principal'), dataIndex: 'principalName' },
    { key: 'industry', title: t('train.cov.industry'), dataIndex: 'industryCode' },
  ];
  return (
    <Modal open width={720} title={t('train.cov.untrainedTitle', { label: population.label })} onCancel={onClose} footer={null}>
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{ current: page, pageSize: 10, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }), onChange: setPage }}
          data-testid="training-untrained-table"
        />
      )}
    </Modal>
  );
}
