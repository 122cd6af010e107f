import { SyncOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Collapse, Descriptions, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { mappingOf } from '../../../shared/contracts/imports';
import type { ColumnSource } from '../../../shared/contracts/imports';
import { api } from '../../api';
import { problemText } from '../../errors';
import { useLang, useT } from '../../i18n';
import type { Lang, MessageKey, Translate } from '../../i18n';
import { assignColumn, jobUrl, rowList, setValue, stillMissing } from './model';
import type { ImportJob, ImportLayout, ImportMapping } from './model';

type Column = ImportLayout['columns'][number];
type UnknownValues = ImportLayout['unknownValues'][number];

const SOURCE: Record<ColumnSource | 'saved', { label: MessageKey; color: string }> = {
  title: { label: 'imp.map.byTitle', color: 'blue' },
  content: { label: 'imp.map.byContent', color: 'purple' },
  mapping: { label: 'imp.map.byMapping', color: 'gold' },
  saved: { label: 'imp.map.bySaved', color: 'cyan' },
};
const NAME_MAX = 60;
const VALUES_PAGE = 10;

/** Missing entries as the user reads them: each field's title, quoted, and `「a」或「b」` for one of several. */
function missingText(layout: ImportLayout, missing: string[], t: Translate, lang: Lang): string {
  const title = (key: string) => t('imp.map.quoted', { title: layout.fields.find((f) => f.key === key)?.title ?? key });
  return missing.map((m) => m.split('|').map(title).join(t('imp.map.or'))).join(lang === 'zh' ? '、' : ', ');
}

// GB18030 is how the server decodes what users know as GBK (it is a superset of it).
const ENCODINGS: Record<string, string> = { gb18030: 'GBK' };

function formatText(layout: ImportLayout, t: Translate): string {
  if (layout.format === 'csv') return t('imp.map.formatCsv', { encoding: ENCODINGS[layout.encoding ?? ''] ?? (layout.encoding ?? 'utf-8').toUpperCase() });
  return t(layout.format === 'xls' ? 'imp.map.formatXls' : 'imp.map.formatXlsx');
}

/**
 * 文件读取方式: how the preview read the file (format, sheet, header row, the field each column
 * feeds and why, the words it did not recognise), with the user's corrections, previewed again on
 * request and, when named, kept for the next file with the same header row.
 */
export function MappingPanel({ job, onPreview }: { job: ImportJob & { layout: ImportLayout }; onPreview: (job: ImportJob) => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const { layout } = job;
  const [columns, setColumns] = useState(() => mappingOf(layout, job.mapping).columns ?? {});
  const [values, setValues] = useState<ImportMapping['values']>(job.mapping?.values);
  const [name, setName] = useState('');
  const [sending, setSending] = useState(false);

  const missing = stillMissing(layout, columns);
  const fedBy = useMemo(() => {
    const letters = new Map<string, string>();
    for (const c of layout.columns) {
      const field = c.title ? columns[c.title] : c.field;
      if (field) letters.set(field, c.letter);
    }
    return letters;
  }, [layout, columns]);

  // The job holds the mapping it was read with (the user's, or a saved one applied without asking).
  const mapping = (): ImportMapping => {
    const base = mappingOf(layout, job.mapping);
    return { ...base, columns, ...(values && Object.keys(values).length ? { values } : {}) };
  };

  const preview = async (next: ImportMapping, saveAs?: string) => {
    setSending(true);
    try {
      const answer = await api.post<ImportJob>(`${jobUrl(job.id)}/preview`, { mapping: next, ...(saveAs ? { saveAs } : {}) });
      if (saveAs) void message.success(t('imp.map.savedAs', { name: saveAs }));
      onPreview(answer);
    } catch (err) {
      void message.error(problemText(err, lang, t));
      setSending(false);
    }
  };

  const fieldOptions = [
    { value: '', label: t('imp.map.leaveOut'), required: false },
    ...layout.fields.map((f) => ({ value: f.key, label: f.title, required: f.required })),
  ];

  const columnTable: TableColumnsType<Column> = [
    { key: 'letter', title: t('imp.map.letter'), dataIndex: 'letter', width: 56, align: 'center' },
    {
      key: 'title',
      title: t('imp.map.title'),
      width: 200,
      render: (_: unknown, c) => (
        <Flex gap={6} align="center" wrap>
          {c.title ? <Typography.Text strong>{c.title}</Typography.Text> : <Typography.Text type="secondary">{t('imp.map.untitled')}</Typography.Text>}
          {c.hidden && <Tag>{t('imp.map.hidden')}</Tag>}
        </Flex>
      ),
    },
    {
      key: 'samples',
      title: t('imp.map.samples'),
      render: (_: unknown, c) =>
        c.samples.length ? (
          <span className="zb-cell-clip" title={c.samples.join('\n')} style={{ maxWidth: 360 }}>
            {c.samples.map((s, i) => (
              <Typography.Text key={i} type="secondary">
                {i > 0 && ' · '}
                {s}
              </Typography.Text>
            ))}
          </span>
        ) : (
          <Typography.Text type="secondary">{t('imp.empty')}</Typography.Text>
        ),
    },
    {
      key: 'field',
      title: t('imp.map.field'),
      width: 220,
      render: (_: unknown, c) => (
        <Select
          value={c.title ? (columns[c.title] ?? '') : (c.field ?? '')}
          // An untitled column cannot be named in a mapping (it is keyed by title).
          disabled={!c.title || sending}
          options={fieldOptions}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={260}
          optionRender={(o) => {
            const at = o.value ? fedBy.get(String(o.value)) : undefined;
            return (
              <Flex justify="space-between" gap={8}>
                <span>
                  {o.label}
                  {o.data.required && <Typography.Text type="danger"> *</Typography.Text>}
                </span>
                {at && at !== c.letter && <Typography.Text type="secondary">{t('imp.map.nowIn', { letter: at })}</Typography.Text>}
              </Flex>
            );
          }}
          onChange={(field: string) => setColumns((cols) => assignColumn(cols, c.title, field))}
          style={{ width: '100%' }}
          aria-label={t('imp.map.fieldFor', { letter: c.letter })}
          data-testid={`import-map-${c.letter}`}
        />
      ),
    },
    {
      key: 'by',
      title: t('imp.map.by'),
      width: 130,
      render: (_: unknown, c) => {
        const chosen = c.title ? (columns[c.title] ?? '') : (c.field ?? '');
        if (chosen !== (c.field ?? '')) return <Tag color="orange">{t('imp.map.changed')}</Tag>;
        if (!c.by) return <Typography.Text type="secondary">—</Typography.Text>;
        const by = c.by === 'mapping' && layout.savedMapping ? SOURCE.saved : SOURCE[c.by];
        return <Tag color={by.color}>{t(by.label)}</Tag>;
      },
    },
  ];

  const summary = [
    formatText(layout, t),
    layout.sheets.length > 1 ? t('imp.map.sheetSummary', { sheet: layout.sheet }) : null,
    t('imp.map.headerRowN', { n: layout.headerRow }),
    t('imp.map.fed', { n: layout.columns.filter((c) => c.field).length, total: layout.columns.length }),
  ]
    .filter(Boolean)
    .join(' · ');

  const body = (
    <Flex vertical gap={16}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 3 }}
        items={[
          { key: 'format', label: t('imp.map.format'), children: formatText(layout, t) },
          // A CSV is one table: its "sheet" is a name the reader gives it.
          layout.format !== 'csv' && {
            key: 'sheet',
            label: t('imp.map.sheet'),
            children:
              layout.sheets.length > 1 ? (
                <Select
                  size="small"
                  value={layout.sheet}
                  disabled={sending}
                  options={layout.sheets.map((s) => ({ value: s, label: s }))}
                  onChange={(sheet: string) => void preview({ ...mapping(), sheet })}
                  style={{ minWidth: 160 }}
                  aria-label={t('imp.map.sheet')}
                  data-testid="import-sheet"
                />
              ) : (
                layout.sheet
              ),
          },
          { key: 'header', label: t('imp.map.headerRow'), children: t('imp.rowN', { n: layout.headerRow }) },
        ].filter((item) => item !== false)}
        data-testid="import-layout-facts"
      />
      <Table<Column>
        rowKey="index"
        columns={columnTable}
        dataSource={layout.columns}
        size="small"
        bordered
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="import-columns"
      />
      {layout.unknownValues.map((u) => (
        <UnknownValueTable key={u.field} entry={u} layout={layout} values={values} onChange={setValues} disabled={sending} />
      ))}
      {job.kind === 'hazards' && (layout.unregistered > 0 || job.mapping?.createEnterprises) && (
        <span data-testid="import-create-enterprises">
          <Checkbox checked={!!job.mapping?.createEnterprises} disabled={sending} onChange={(e) => void preview({ ...mapping(), createEnterprises: e.target.checked || undefined })}>
            {job.mapping?.createEnterprises ? t('imp.map.createEnterprisesOn', { n: layout.newEnterprises.count }) : t('imp.map.createEnterprises', { n: layout.unregistered })}
          </Checkbox>
        </span>
      )}
      <Flex vertical gap={8}>
        <Typography.Text strong>{t('imp.map.saveAs')}</Typography.Text>
        <Flex gap={8} wrap align="center">
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={NAME_MAX}
            placeholder={t('imp.map.namePlaceholder')}
            allowClear
            disabled={sending}
            style={{ width: 320, maxWidth: '100%' }}
            aria-label={t('imp.map.saveAs')}
            data-testid="import-mapping-name"
          />
          <Button type="primary" icon={<SyncOutlined />} loading={sending} onClick={() => void preview(mapping(), name.trim() || undefined)} data-testid="import-repreview">
            {t('imp.map.repreview')}
          </Button>
          {missing.length > 0 && (
            <Typography.Text type="danger" data-testid="import-still-missing">
              {t('imp.map.stillMissing', { fields: missingText(layout, missing, t, lang) })}
            </Typography.Text>
          )}
        </Flex>
      </Flex>
    </Flex>
  );

  return (
    <div className="zb-import-alert" data-testid="import-layout">
      <Collapse
        defaultActiveKey={job.needsMapping || layout.unknownValues.length > 0 || layout.unregistered > 0 ? ['layout'] : []}
        items={[
          {
            key: 'layout',
            label: (
              <Flex gap={8} wrap align="baseline">
                <Typography.Text strong>{t('imp.map.heading')}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {summary}
                </Typography.Text>
              </Flex>
            ),
            children: body,
          },
        ]}
      />
    </div>
  );
}

/** The words of one list field the preview did not recognise, each with what it should mean (unset: it stays an error). */
function UnknownValueTable({
  entry,
  layout,
  values,
  onChange,
  disabled,
}: {
  entry: UnknownValues;
  layout: ImportLayout;
  values: ImportMapping['values'];
  onChange: (values: ImportMapping['values']) => void;
  disabled: boolean;
}) {
  const t = useT();
  const column = layout.columns.find((c) => c.field === entry.field);
  const rows = entry.values.map((v, index) => ({ ...v, index }));
  const columns: TableColumnsType<(typeof rows)[number]> = [
    { key: 'value', title: t('imp.map.fileValue'), render: (_: unknown, v) => (v.value ? <Tag>{v.value}</Tag> : <Typography.Text type="secondary">{t('imp.empty')}</Typography.Text>) },
    { key: 'count', title: t('imp.map.rows'), dataIndex: 'count', width: 90, align: 'right', render: (n: number) => n.toLocaleString() },
    {
      key: 'meaning',
      title: t('imp.map.meaning'),
      width: 240,
      render: (_: unknown, v) => (
        <Select
          value={values?.[entry.field]?.[v.value]}
          allowClear
          disabled={disabled}
          placeholder={t('imp.map.keepError')}
          options={entry.allowed}
          onChange={(meaning?: string) => onChange(setValue(values, entry.field, v.value, meaning))}
          style={{ width: '100%' }}
          aria-label={t('imp.map.meaningOf', { value: v.value })}
          data-testid={`import-value-${entry.field}-${v.index}`}
        />
      ),
    },
  ];
  return (
    <Flex vertical gap={8} data-testid={`import-values-${entry.field}`}>
      <Typography.Text strong>
        {t('imp.map.unknownValues', { field: entry.column, n: entry.values.length })}
        {column && (
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {' '}
            {t('imp.map.inColumn', { letter: column.letter, title: column.title })}
          </Typography.Text>
        )}
      </Typography.Text>
      <Table
        rowKey="index"
        columns={columns}
        dataSource={rows}
        size="small"
        bordered
        pagination={rows.length > VALUES_PAGE ? { pageSize: VALUES_PAGE, size: 'small', hideOnSinglePage: true } : false}
        scroll={{ x: 'max-content' }}
        style={{ maxWidth: 720 }}
      />
    </Flex>
  );
}

/** What the preview says about how it read the file, above its counts: a saved mapping applied, fields still missing, rows skipped. */
export function LayoutAlerts({ layout, needsMapping }: { layout: ImportLayout; needsMapping: boolean }) {
  const t = useT();
  const { lang } = useLang();
  return (
    <>
      {layout.savedMapping && (
        <Alert type="info" showIcon title={t('imp.map.savedApplied', { name: layout.savedMapping.name })} className="zb-import-alert" data-testid="import-saved-mapping" />
      )}
      {needsMapping && (
        <Alert
          type="warning"
          showIcon
          title={t('imp.map.missing', { fields: missingText(layout, layout.missing, t, lang) })}
          description={t('imp.map.missingHint')}
          className="zb-import-alert"
          data-testid="import-missing"
        />
      )}
      {layout.skipped.totals > 0 && (
        <Alert
          type="info"
          showIcon
          title={t('imp.map.totalsSkipped', { n: layout.skipped.totals.toLocaleString(), rows: rowList(layout.skipped.totalsRows, layout.skipped.totals, lang) })}
          className="zb-import-alert"
          data-testid="import-totals"
        />
      )}
      {layout.newEnterprises.count > 0 && (
        <Alert
          type="info"
          showIcon
          title={t('imp.map.newEnterprises', { n: layout.newEnterprises.count.toLocaleString() })}
          description={layout.newEnterprises.items.map((e) => `${e.name}（${e.uscc}）`).join('、') + (layout.newEnterprises.items.length < layout.newEnterprises.count ? ' …' : '')}
          className="zb-import-alert"
          data-testid="import-new-enterprises"
        />
      )}
      {layout.hiddenRows > 0 && (
        <Alert type="info" showIcon title={t('imp.map.hiddenRows', { n: layout.hiddenRows.toLocaleString() })} className="zb-import-alert" data-testid="import-hidden-rows" />
      )}
    </>
  );
}
