import { Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { Breakdown, DashboardView, Figure } from '../../../shared/contracts/dashboard';
import { useIsPhone } from '../../hooks';
import { useT } from '../../i18n';
import { CountLink, ledgerHref, Rate } from './figures';
import type { LedgerBase } from './figures';

/** What the district map is coloured by, and the ranking table sorted by. */
export type MapMetric = 'openMajor' | 'overdueRate';

export const overdueRate = (d: { open: number; overdue: number }): number | null => (d.open > 0 ? d.overdue / d.open : null);

const byMetric = (metric: MapMetric) => (a: Breakdown, b: Breakdown) =>
  metric === 'openMajor'
    ? b.openMajor - a.openMajor || b.open - a.open
    : (overdueRate(b) ?? -1) - (overdueRate(a) ?? -1) || b.overdue - a.overdue;

/**
 * Districts or streets with their figures, each a link to the ledger of that area; the name opens
 * the area's cockpit where there is one.
 */
export function BreakdownTable({
  rows,
  view,
  area,
  metric = 'openMajor',
  cockpitOf,
  onPick,
  testId,
}: {
  rows: Breakdown[];
  view: DashboardView;
  area: 'district' | 'street';
  metric?: MapMetric;
  /** the cockpit an area's name opens, if any */
  cockpitOf?: (code: string) => string;
  onPick?: (code: string) => void;
  testId: string;
}) {
  const t = useT();
  const phone = useIsPhone();
  // Hazards kept outside any street (handed to the district) have no ledger filter of their own.
  const baseOf = (code: string): LedgerBase | null =>
    code ? { ...view.base, ...(area === 'district' ? { districtCode: code } : { streetCode: code }) } : null;
  const count = (figure: Figure, n: number, code: string) => {
    const base = baseOf(code);
    return base ? <CountLink n={n} to={ledgerHref(figure, base, view.month)} testId={`${testId}-${figure}-${code}`} /> : n;
  };
  const sorter = (key: 'open' | 'openMajor' | 'overdue' | 'overdueMajor') => (a: Breakdown, b: Breakdown) => a[key] - b[key];
  const columns: TableColumnsType<Breakdown> = [
    {
      key: 'name',
      title: area === 'district' ? t('ent.district') : t('ent.street'),
      dataIndex: 'name',
      // Some streets are development zones with long names: cut, whole on hover.
      width: area === 'street' ? (phone ? 104 : 150) : 84,
      ellipsis: { showTitle: true },
      render: (name: string, d) => (cockpitOf && d.code ? <Link to={cockpitOf(d.code)}>{name}</Link> : name),
    },
    { key: 'open', title: t('ck.colOpen'), dataIndex: 'open', align: 'right', sorter: sorter('open'), render: (n: number, d) => count('open', n, d.code) },
    { key: 'openMajor', title: t('ck.colMajor'), dataIndex: 'openMajor', align: 'right', sorter: sorter('openMajor'), render: (n: number, d) => count('openMajor', n, d.code) },
    { key: 'overdue', title: t('ck.colOverdue'), dataIndex: 'overdue', align: 'right', sorter: sorter('overdue'), render: (n: number, d) => count('overdue', n, d.code) },
    {
      key: 'overdueMajor',
      title: t('ck.overdueMajor'),
      dataIndex: 'overdueMajor',
      align: 'right',
      sorter: sorter('overdueMajor'),
      render: (n: number, d) => count('overdueMajor', n, d.code),
    },
    {
      key: 'overdueRate',
      title: t('ck.overdueRate'),
      align: 'right',
      sorter: (a, b) => (overdueRate(a) ?? -1) - (overdueRate(b) ?? -1),
      render: (_: unknown, d) => <Rate value={overdueRate(d)} why={t('ck.nullRate')} />,
    },
  ];
  return (
    <Table<Breakdown>
      rowKey={(d) => d.code || 'none'}
      // A phone has room for five columns; the export keeps all six.
      columns={phone ? columns.filter((c) => c.key !== 'overdueMajor') : columns}
      dataSource={[...rows].sort(byMetric(metric))}
      size="small"
      pagination={false}
      // No sideways scrolling: the headings wrap instead, on a phone too.
      scroll={{ y: 440 }}
      className="zb-breakdown"
      data-testid={testId}
      onRow={
        onPick
          ? (d) => ({
              onClick: (e) => {
                // The figures are links to the ledger: only the rest of the row opens the area.
                if (!(e.target as HTMLElement).closest('a') && d.code) onPick(d.code);
              },
              className: 'zb-clickable-row',
            })
          : undefined
      }
    />
  );
}

type Worst = NonNullable<DashboardView['worstEnterprises']>[number];

/** The enterprises with most open major (then open) hazards: each opens its cockpit, each figure its ledger. */
export function WorstEnterprisesTable({ view, rows }: { view: DashboardView; rows: Worst[] }) {
  const t = useT();
  const count = (figure: Figure, n: number, id: string) => (
    <CountLink n={n} to={ledgerHref(figure, { ...view.base, enterpriseId: id }, view.month)} testId={`worst-${figure}-${id}`} />
  );
  const columns: TableColumnsType<Worst> = [
    {
      key: 'name',
      title: t('hz.enterprise'),
      dataIndex: 'name',
      render: (name: string, e) => (
        <Link to={`/cockpit/enterprises/${encodeURIComponent(e.id)}`} className="zb-cell-clip" title={name}>
          {name}
        </Link>
      ),
    },
    { key: 'open', title: t('ck.colOpen'), dataIndex: 'open', align: 'right', render: (n: number, e) => count('open', n, e.id) },
    { key: 'openMajor', title: t('ck.colMajor'), dataIndex: 'openMajor', align: 'right', render: (n: number, e) => count('openMajor', n, e.id) },
    { key: 'overdue', title: t('ck.colOverdue'), dataIndex: 'overdue', align: 'right', render: (n: number, e) => count('overdue', n, e.id) },
  ];
  return <Table<Worst> rowKey="id" columns={columns} dataSource={rows} size="small" pagination={false} scroll={{ x: 'max-content' }} data-testid="worst-enterprises" />;
}
