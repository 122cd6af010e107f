import { Card } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import type { Cell } from '../xlsx';
import { XlsxButton } from './XlsxButton';

/** The data behind a chart, as the sheet its export writes: a header row, then one row per point. */
export interface ChartTable {
  /** the file's name, without .xlsx */
  fileName: string;
  rows: Cell[][];
}

/** A titled card around a chart (or a table), with a button exporting its data to Excel. */
export function ChartCard({
  title,
  table,
  extra,
  children,
  testId,
}: {
  title: ReactNode;
  table?: ChartTable;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const t = useT();
  return (
    <Card
      className="zb-card zb-chart-card"
      size="small"
      title={title}
      data-testid={testId}
      extra={
        <span className="zb-chart-card-extra">
          {extra}
          {table && (
            <XlsxButton size="small" fileName={table.fileName} rows={table.rows} className="zb-no-print" data-testid="chart-export">
              {t('hz.export')}
            </XlsxButton>
          )}
        </span>
      }
    >
      {children}
    </Card>
  );
}
