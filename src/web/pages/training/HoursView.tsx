import { Flex, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import { TableCard } from '../../components/TableCard';
import { useAsync, useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { useYear, YearPicker } from './CoverageView';
import type { HoursList } from './model';
import { RoleText } from './tags';

type Row = HoursList['items'][number];

/** 学时不足: principal persons and safety managers below the year's required hours (initial for the never trained, yearly retraining for the rest). */
export function HoursView() {
  const t = useT();
  const [year, setYear] = useYear();
  const { params, set } = useUrlParams();
  const page = Number(params.get('page') ?? 1);
  const list = useAsync((signal) => api.get<HoursList>('/api/training/hours', { year, page, pageSize: 20 }, signal), [year, page]);
  const columns: TableColumnsType<Row> = [
    { key: 'person', title: t('train.hours.person'), render: (_, r) => <strong>{r.personName}</strong> },
    { key: 'role', title: t('train.hours.role'), render: (_, r) => <RoleText role={r.role} /> },
    {
      key: 'enterprise',
      title: t('train.hours.enterprise'),
      render: (_, r) => (
        <Flex gap={6} align="center" wrap>
          <Link to={`/enterprises/${r.enterpriseId}`}>{r.enterpriseName}</Link>
          {r.highRisk && <Tag color="volcano">{t('train.hours.highRisk')}</Tag>}
        </Flex>
      ),
    },
    {
      key: 'hours',
      title: `${t('train.hours.hours')} / ${t('train.hours.required')}`,
      align: 'right',
      render: (_, r) => (
        <span className="zb-nowrap">
          <Typography.Text type="danger">{r.hours}</Typography.Text> / {r.required}
          {r.initial && <Typography.Text type="secondary"> （{t('train.hours.initial')}）</Typography.Text>}
        </span>
      ),
    },
  ];
  return (
    <TableCard<Row>
      list={list}
      rowKey={(r) => `${r.enterpriseId}:${r.role}:${r.personName}`}
      columns={columns}
      empty={t('train.hours.empty')}
      testId="training-hours"
      paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
      before={
        <div style={{ marginBottom: 12 }}>
          <YearPicker value={year} onChange={setYear} />
        </div>
      }
    />
  );
}
