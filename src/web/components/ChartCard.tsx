import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { problemText } from '../errors';
import { useLang, useT } from '../i18n';
import { saveXlsx } from '../xlsx';
import type { Cell } from '../xlsx';

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
  const { lang } = useLang();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);

  const exportTable = async () => {
    if (!table) return;
    setSaving(true);
    try {
      await saveXlsx(table.fileName, table.fileName, table.rows);
    } catch (err) {
      message.error(t('common.downloadFailed', { text: problemText(err, lang, t) }));
    } finally {
      setSaving(false);
    }
  };

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
            <Button size="small" icon={<DownloadOutlined />} loading={saving} onClick={() => void exportTable()} className="zb-no-print" data-testid="chart-export">
              {t('hz.export')}
            </Button>
          )}
        </span>
      }
    >
      {children}
    </Card>
  );
}
