import { Card, Empty, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { Hazard } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { useAsync, useIsPhone } from '../../hooks';
import { useT } from '../../i18n';
import { hazardColumns } from './columns';
import { OverdueTag, StatusTag } from './HazardTags';

const LATEST = 10;

/** An enterprise's latest hazards on its page, with the way to its whole part of the ledger. */
export function EnterpriseHazards({ enterpriseId }: { enterpriseId: string }) {
  const t = useT();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const list = useAsync(
    (signal) => api.get<ListResult<Hazard>>('/api/hazards', { enterpriseId, pageSize: LATEST, sort: '-foundAt' }, signal),
    [enterpriseId],
  );
  const ledger = `/hazards?enterpriseId=${encodeURIComponent(enterpriseId)}`;

  const columns = useMemo<TableColumnsType<Hazard>>(
    () =>
      hazardColumns(t, ['code', 'description', 'grade', 'status', 'deadline', 'found']).map((c) =>
        // The card is narrow: being overdue shows beside the status.
        c.key === 'status'
          ? {
              ...c,
              render: (_: unknown, h: Hazard) => (
                <span className="zb-tags">
                  <StatusTag value={h.status} />
                  <OverdueTag overdue={h.overdue} />
                </span>
              ),
            }
          : c,
      ),
    [t],
  );

  return (
    <Card
      className="zb-card"
      size="small"
      title={t('hz.enterpriseHazards')}
      extra={list.data && list.data.total > 0 && <Link to={ledger} data-testid="enterprise-hazards-all">{t('hz.enterpriseHazardsAll', { total: list.data.total })}</Link>}
      data-testid="enterprise-hazards"
    >
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<Hazard>
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          showHeader={!phone}
          onRow={(h) => ({
            onClick: (e) => {
              if ((e.target as HTMLElement).closest('a,button')) return;
              navigate(`/hazards/${h.id}`);
            },
            className: 'zb-clickable-row',
          })}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hz.none')} /> }}
        />
      )}
    </Card>
  );
}
