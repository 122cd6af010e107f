import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { Hazard, HazardStatus } from '../../../shared/contracts/hazards';
import { Clip } from '../../components/Clip';
import { formatDate } from '../../format';
import type { Translate } from '../../i18n';
import { GradeTag, OverdueTag, StatusTag, SupervisionTag } from './HazardTags';

export type HazardColumn = 'code' | 'enterprise' | 'description' | 'grade' | 'status' | 'overdue' | 'deadline' | 'supervision' | 'found';

export function HazardCode({ hazard }: { hazard: Hazard }) {
  return (
    <Link to={`/hazards/${hazard.id}`} className="zb-hazard-code">
      {hazard.code}
    </Link>
  );
}

const nowrap = (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span>;

/** The ledger's columns, in the order asked for; the ledger and an enterprise's page show different sets. */
export function hazardColumns(t: Translate, keys: HazardColumn[]): TableColumnsType<Hazard> {
  const all: Record<HazardColumn, TableColumnsType<Hazard>[number]> = {
    code: { key: 'code', title: t('hz.code'), dataIndex: 'code', render: (_: string, h) => <HazardCode hazard={h} /> },
    enterprise: {
      key: 'enterprise',
      title: t('hz.enterprise'),
      dataIndex: 'enterpriseName',
      render: (v: string | null) => (
        <span className="zb-cell-clip zb-cell-ent" title={v ?? undefined}>
          {v ?? '—'}
        </span>
      ),
    },
    description: { key: 'description', title: t('hz.description'), dataIndex: 'description', render: (v: string) => <Clip text={v} wide /> },
    grade: { key: 'grade', title: t('hz.grade'), dataIndex: 'grade', render: (v: Hazard['grade']) => <GradeTag value={v} /> },
    status: { key: 'status', title: t('hz.status'), dataIndex: 'status', render: (v: HazardStatus) => <StatusTag value={v} /> },
    overdue: { key: 'overdue', title: t('hz.overdue'), dataIndex: 'overdue', render: (v: boolean) => <OverdueTag overdue={v} /> },
    deadline: { key: 'deadline', title: t('hz.deadline'), dataIndex: 'deadline', render: (v: string | null) => nowrap(v ?? '—') },
    supervision: {
      key: 'supervision',
      title: t('hz.supervision'),
      dataIndex: 'supervisionLevel',
      render: (v: Hazard['supervisionLevel']) => <SupervisionTag level={v} />,
    },
    found: { key: 'found', title: t('hz.foundDate'), dataIndex: 'foundAt', render: (v: string) => nowrap(formatDate(v)) },
  };
  return keys.map((k) => all[k]);
}
