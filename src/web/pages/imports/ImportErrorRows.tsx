import { Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { useAsync, useIsPhone } from '../../hooks';
import { useT } from '../../i18n';
import { jobUrl } from './model';
import type { ImportRowError } from './model';

// A phone shows each row as a card: fewer to a page.
const PAGE_SIZE = { desktop: 20, phone: 10 };

function Problems({ row }: { row: ImportRowError }) {
  return (
    <div className="zb-import-problems" data-testid="import-error-messages">
      {row.errors.map((e, i) => (
        <div key={i} className="zb-import-problem">
          <Tag color="red">{e.column}</Tag>
          <span>{e.message}</span>
        </div>
      ))}
    </div>
  );
}

/**
 * The rows the preview found in error, a page at a time: the row number in the file, what is
 * wrong in which column, and the row's cells as read (the faulty ones marked), so the clerk can
 * find and fix them in the sheet.
 */
export function ImportErrorRows({ jobId, total }: { jobId: string; total: number }) {
  const t = useT();
  const phone = useIsPhone();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(phone ? PAGE_SIZE.phone : PAGE_SIZE.desktop);
  const rows = useAsync(
    (signal) => api.get<ListResult<ImportRowError>>(`${jobUrl(jobId)}/errors`, { page, pageSize }, signal),
    [jobId, page, pageSize],
  );
  const items = rows.data?.items;
  // Every row carries the same cells: those of the columns the file's header named.
  const fileColumns = useMemo(() => (items?.length ? Object.keys(items[0].raw) : []), [items]);

  const columns = useMemo<TableColumnsType<ImportRowError>>(() => {
    const bad = (r: ImportRowError, c: string) => r.errors.some((e) => e.column === c);
    if (phone) {
      return [
        {
          key: 'row',
          title: t('imp.errorRows', { n: total.toLocaleString() }),
          render: (_: unknown, r) => (
            <div className="zb-import-err-cell">
              <Typography.Text strong>{t('imp.rowN', { n: r.rowNumber })}</Typography.Text>
              <Problems row={r} />
              <div className="zb-import-raw">
                {fileColumns
                  .filter((c) => r.raw[c] || bad(r, c))
                  .map((c) => (
                    <span key={c} className={bad(r, c) ? 'zb-import-raw-bad' : undefined}>
                      <span className="zb-import-raw-key">{c}</span>
                      {r.raw[c] || t('imp.empty')}
                    </span>
                  ))}
              </div>
            </div>
          ),
        },
      ];
    }
    return [
      { key: 'row', title: t('imp.row'), dataIndex: 'rowNumber', fixed: 'left', width: 72, align: 'right' },
      {
        key: 'errors',
        title: `${t('imp.column')} · ${t('imp.message')}`,
        fixed: 'left',
        width: 340,
        render: (_: unknown, r) => <Problems row={r} />,
      },
      {
        key: 'raw',
        title: t('imp.original'),
        // A group header centres its title across every column, out of sight on a wide sheet.
        align: 'left',
        children: fileColumns.map((c) => ({
          key: `raw:${c}`,
          title: c,
          onCell: (r: ImportRowError) => ({ className: bad(r, c) ? 'zb-import-cell-bad' : undefined }),
          render: (_: unknown, r: ImportRowError) => (
            <span className="zb-cell-clip" title={r.raw[c] || undefined}>
              {r.raw[c] || '—'}
            </span>
          ),
        })),
      },
    ];
  }, [t, phone, fileColumns, total]);

  return (
    <Card className="zb-card" title={phone ? undefined : t('imp.errorRows', { n: total.toLocaleString() })} size="small" data-testid="import-errors">
      {rows.error && !rows.loading ? (
        <ErrorState error={rows.error} onRetry={rows.reload} />
      ) : (
        <Table<ImportRowError>
          rowKey="rowNumber"
          columns={columns}
          dataSource={items ?? []}
          loading={rows.loading}
          size="small"
          bordered={!phone}
          scroll={{ x: 'max-content' }}
          data-testid="import-error-table"
          pagination={{
            current: rows.data?.page ?? page,
            pageSize: rows.data?.pageSize ?? pageSize,
            total: rows.data?.total ?? total,
            showSizeChanger: !phone,
            pageSizeOptions: [20, 50, 100],
            simple: phone,
            showTotal: phone ? undefined : (n) => t('common.total', { total: n }),
            onChange: (p, size) => {
              setPage(size !== pageSize ? 1 : p);
              setPageSize(size);
            },
          }}
        />
      )}
    </Card>
  );
}
