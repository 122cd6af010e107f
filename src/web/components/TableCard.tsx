import { Card, Empty, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import type { ListResult } from '../api';
import type { AsyncState } from '../hooks';
import { useT } from '../i18n';
import { ErrorState } from './Feedback';

/** Server pagination of a card's list: the page shown and where a change of page goes. */
export interface CardPaging {
  page: number;
  pageSize?: number;
  onChange: (page: number) => void;
}

/**
 * A card holding one list: its error with a retry, or the table (empty state included); with
 * `paging`, the server's pages below it; `before` sits between the title and the table (status tabs).
 */
export function TableCard<T extends object>({
  title,
  extra,
  list,
  columns,
  empty,
  testId,
  rowKey = 'id',
  paging,
  onRowClick,
  before,
}: {
  title?: ReactNode;
  extra?: ReactNode;
  list: AsyncState<ListResult<T>>;
  columns: TableColumnsType<T>;
  empty: string;
  testId: string;
  rowKey?: string | ((row: T) => string);
  paging?: CardPaging;
  onRowClick?: (row: T) => void;
  before?: ReactNode;
}) {
  const t = useT();
  return (
    <Card className="zb-card" size="small" title={title} extra={extra}>
      {before}
      {list.error && !list.loading ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : (
        <Table<T>
          rowKey={rowKey}
          size="small"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          pagination={
            paging
              ? { current: paging.page, pageSize: paging.pageSize ?? 20, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }), onChange: paging.onChange }
              : false
          }
          scroll={{ x: 'max-content' }}
          onRow={onRowClick ? (r) => ({ onClick: () => onRowClick(r), className: 'zb-clickable-row' }) : undefined}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
          data-testid={testId}
        />
      )}
    </Card>
  );
}
